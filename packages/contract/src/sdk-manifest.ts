/** GET /sdk/manifest.json: the SDK a server serves (packages/server/src/http/sdk-route.ts). */

export interface SdkFileEntry {
  format: 'cjs' | 'esm';
  /** /sdk/<file>: always the current version. */
  url: string;
  /** /sdk/<version>/<file>: cached for good. */
  versioned_url: string;
  bytes: number;
  gzip_bytes: number;
  /** Subresource Integrity (sha384-…). */
  integrity: string;
}

export interface SdkManifest {
  name: string;
  version: string;
  /** The integrity of the single CommonJS file, if there is one. */
  integrity: string | null;
  /** By file name (miniscope.js, miniscope.mjs). */
  files: Record<string, SdkFileEntry>;
}
