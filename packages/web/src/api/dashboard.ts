/**
 * The dashboard API (packages/contract/src/dashboard.ts), one function per endpoint: the reports
 * of an app (each as JSON and as the URL of its CSV download), the metric list, an app's ingest
 * status and the SDK this server serves. Every report URL is built here; the query each takes is
 * the input of the contract's schema for it, so a parameter the server does not know is a type
 * error in the dashboard.
 * NOTE: only types come from the contract's schemas (`import type`): zod stays out of the bundle.
 */
import type {
  Distribution,
  IngestStatus,
  MetricId,
  MetricList,
  Overview,
  overviewQuery,
  Pages,
  PageTrend,
  Portrait,
  pagesQuery,
  pageTrendQuery,
  portraitQuery,
  Realtime,
  RealtimeStep,
  Retention,
  rangeQuery,
  realtimeQuery,
  retentionQuery,
  Scenes,
  SdkManifest,
  Sources,
  Trend,
  trendQuery,
} from '@miniscope/contract';
import type { z } from 'zod';
import { http, type Query, urlOf } from './client';

/** A report's query as the dashboard writes it: its schema's input, less `format` (see `csv`). */
type Params<S extends z.ZodType> = Omit<z.input<S>, 'format'>;

/** from, to (YYYY-MM-DD), filter (field:v1,v2). */
export type RangeParams = Params<typeof rangeQuery>;
export type OverviewParams = Params<typeof overviewQuery>;
/** `metrics` as a list of ids (a comma-separated list on the wire). */
export type TrendParams = Omit<Params<typeof trendQuery>, 'metrics'> & { metrics?: readonly MetricId[] };
/** `key`: the access source whose scenes are asked for. */
export type ScenesParams = RangeParams & { key: number };
export type RetentionParams = Params<typeof retentionQuery>;
export type PagesParams = Omit<Params<typeof pagesQuery>, 'limit'> & { limit?: number };
export type PageTrendParams = Params<typeof pageTrendQuery>;
/** `days` as a list of dates (a comma-separated list on the wire). */
export type RealtimeParams = Omit<Params<typeof realtimeQuery>, 'days' | 'step'> & {
  days?: readonly string[];
  step?: RealtimeStep;
};
export type PortraitParams = Params<typeof portraitQuery>;

export interface Report<P, A> {
  /** The report as JSON. */
  get(appid: string, params: P): Promise<A>;
  /** The URL of the same report as a CSV download (the session cookie authorizes it). */
  csv(appid: string, params: P): string;
}

const appPath = (appid: string) => `/api/apps/${encodeURIComponent(appid)}`;

/**
 * The report at `/api/apps/:appid/<path>`; `:name` in `path` is taken from the parameters (as the
 * server's routes write them), the rest go in the query string as `wire` writes them.
 */
function report<P extends Query, A>(path: string, wire: (p: P) => Query = (p) => p): Report<P, A> {
  const url = (appid: string, params: P, format?: 'csv') => {
    const query = wire(params);
    const inPath = new Set<string>();
    const filled = path.replace(/:(\w+)/g, (_, name: string) => {
      inPath.add(name);
      return encodeURIComponent(String(query[name]));
    });
    const rest = Object.fromEntries(Object.entries(query).filter(([k]) => !inPath.has(k)));
    return urlOf(`${appPath(appid)}/${filled}`, { ...rest, format });
  };
  return {
    get: (appid, params) => http.get<A>(url(appid, params)),
    csv: (appid, params) => url(appid, params, 'csv'),
  };
}

/** Every report of an app (GET /api/apps/:appid/…), as packages/server/src/dashboard/routes.ts lists them. */
export const reports = {
  overview: report<OverviewParams, Overview>('overview'),
  trend: report<TrendParams, Trend>('trend', ({ metrics, ...rest }) => ({ ...rest, metrics: metrics?.join(',') })),
  sources: report<RangeParams, Sources>('sources'),
  scenes: report<ScenesParams, Scenes>('sources/:key/scenes'),
  distribution: report<RangeParams, Distribution>('distribution'),
  retention: report<RetentionParams, Retention>('retention'),
  pages: report<PagesParams, Pages>('pages'),
  pageTrend: report<PageTrendParams, PageTrend>('pages/trend'),
  realtime: report<RealtimeParams, Realtime>('realtime', ({ days, ...rest }) => ({ ...rest, days: days?.join(',') })),
  portrait: report<PortraitParams, Portrait>('portrait'),
};

/** GET /api/metrics: the daily figures with their Chinese names and units. */
export const metricList = () => http.get<MetricList>('/api/metrics');

/** GET /api/apps/:appid/ingest-status: the events stored for the app and when the last arrived. */
export const ingestStatusOf = (appid: string) => http.get<IngestStatus>(`${appPath(appid)}/ingest-status`);

/** GET /sdk/manifest.json: the SDK this server serves, with its version and integrity. */
export const sdkManifest = () => http.get<SdkManifest>('/sdk/manifest.json');
