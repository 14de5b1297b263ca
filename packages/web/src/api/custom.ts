/**
 * The 自定义分析 API (packages/contract/src/custom.ts), one function per endpoint: the four reports
 * (each as JSON and as the URL of its CSV, the query as JSON in `?q=`), event management (events
 * seen with their properties, a property's top values, display names, hiding, a property's type)
 * and saved reports. Every URL of these screens is built here.
 * NOTE: only types come from the contract's schemas (`import type`): zod stays out of the bundle.
 */
import type {
  EventAnalysis,
  EventAnalysisQuery,
  EventDef,
  EventRetention,
  EventRetentionQuery,
  eventDefChange,
  Funnel,
  FunnelQuery,
  PathQuery,
  Paths,
  PropDef,
  PropValues,
  propDefChange,
  SavedReport,
  SavedReportKind,
} from '@miniscope/contract';
import type { z } from 'zod';
import { http, urlOf } from './client';
import type { Report } from './dashboard';

const custom = (appid: string) => `/api/apps/${encodeURIComponent(appid)}/custom`;

/** The report at `custom/<path>?q=<query as JSON>`. */
function customReport<Q, A>(path: string): Report<Q, A> {
  const url = (appid: string, query: Q, format?: 'csv') =>
    urlOf(`${custom(appid)}/${path}`, { q: JSON.stringify(query), format });
  return {
    get: (appid, query) => http.get<A>(url(appid, query)),
    csv: (appid, query) => url(appid, query, 'csv'),
  };
}

/** The four reports of 自定义分析, by the kind a saved report names them. */
export const customReports = {
  events: customReport<EventAnalysisQuery, EventAnalysis>('events'),
  funnel: customReport<FunnelQuery, Funnel>('funnel'),
  paths: customReport<PathQuery, Paths>('paths'),
  retention: customReport<EventRetentionQuery, EventRetention>('retention'),
} satisfies Record<SavedReportKind, Report<never, unknown>>;

export type EventDefChange = z.input<typeof eventDefChange>;
export type PropDefChange = z.input<typeof propDefChange>;

/** 事件管理: read by anyone who may read the app; changed by its admin and 数据分析 members. */
export const eventDefs = {
  list: (appid: string) => http.get<{ app: string; events: EventDef[] }>(`${custom(appid)}/event-defs`),
  /** Up to 100 most frequent values of a property of an event. */
  values: (appid: string, event: string, prop: string) =>
    http.get<PropValues>(
      `${custom(appid)}/event-defs/${encodeURIComponent(event)}/props/${encodeURIComponent(prop)}/values`,
    ),
  setEvent: (appid: string, event: string, change: EventDefChange) =>
    http.put<{ name: string }>(`${custom(appid)}/event-defs/${encodeURIComponent(event)}`, change),
  /** A property's notes, or its type (declared once; a second time answers 409 type_declared). */
  setProp: (appid: string, prop: string, change: PropDefChange) =>
    http.put<Partial<PropDef>>(`${custom(appid)}/props/${encodeURIComponent(prop)}`, change),
};

export interface SavedReportInput {
  kind: SavedReportKind;
  name: string;
  query: Record<string, unknown>;
}

/** Saved reports: read by anyone who may read the app; changed by their author or the admin. */
export const savedReports = {
  list: (appid: string) => http.get<{ reports: SavedReport[] }>(`${custom(appid)}/saved-reports`),
  create: (appid: string, body: SavedReportInput) => http.post<SavedReport>(`${custom(appid)}/saved-reports`, body),
  update: (appid: string, id: number, body: SavedReportInput) =>
    http.put<SavedReport>(`${custom(appid)}/saved-reports/${id}`, body),
  remove: (appid: string, id: number) => http.del<{ ok: true }>(`${custom(appid)}/saved-reports/${id}`),
};
