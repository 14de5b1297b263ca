/**
 * Vite build of the dashboard into `dist/`, served by the server at `/`. Next to every built
 * script, style and SVG it writes `.gz` and `.br` copies, which the server sends to browsers that
 * accept them (the server has no compression plugin, and compressing once at build time is free
 * at request time).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

/**
 * Vant's icon font ships inline (a data: URL) with fallbacks on a public CDN; a self-hosted
 * dashboard must not call out (and its CSP forbids it), so the CDN fallbacks are cut at build.
 */
function offlineIconFont(): Plugin {
  return {
    name: 'miniscope-offline-icon-font',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('vant') || !id.endsWith('.css')) return null;
      return code.replace(/,\s*url\((?:https?:)?\/\/at\.alicdn\.com[^)]*\)\s*format\("[^"]+"\)/g, '');
    },
  };
}

function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'miniscope-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
          const full = path.join(dir, e.name);
          return e.isDirectory() ? walk(full) : [full];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|svg|html|json)$/.test(file)) continue;
        const data = fs.readFileSync(file);
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data));
      }
    },
  };
}

export default defineConfig({
  plugins: [vue(), offlineIconFont(), precompress()],
  resolve: { alias: { '@': path.resolve(import.meta.dirname, 'src') } },
  build: {
    target: 'es2020',
    chunkSizeWarningLimit: 700,
    reportCompressedSize: false,
    // Read by test/bundle.test.ts to weigh what each screen loads.
    manifest: true,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
