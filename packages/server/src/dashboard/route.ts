/**
 * How a dashboard report becomes a route: `GET /api/apps/:appid/<path>` with the `app-data` access
 * rule (the caller's role in the app is checked before any handler runs), its query string parsed
 * by the contract's schema, the report run, and the answer sent as JSON or, with `format=csv`, as
 * the report's table. Every report route is declared this way (routes.ts).
 */
import {
  addDays,
  FILTER_FIELDS,
  type FilterField,
  NUMERIC_FILTER_FIELDS,
  type Table,
  toCsv,
} from '@miniscope/contract';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { MiniscopeError } from '../errors.js';
import type { Apps } from '../meta/apps.js';
import type { CustomDefs } from '../meta/custom-defs.js';
import type { MetricsEngine } from '../metrics/engine.js';
import type { Filter } from '../metrics/plan/query.js';

export interface DashboardParts {
  engine: MetricsEngine;
  apps: Apps;
  customDefs: CustomDefs;
}

export interface ReportContext {
  engine: MetricsEngine;
  customDefs: CustomDefs;
  app: string;
  /** The path's parameters besides the app (e.g. a source key). */
  params: Record<string, string>;
}

export interface ReportRoute<S extends z.ZodType, A> {
  /** After `/api/apps/:appid/`. */
  path: string;
  query: S;
  answer(ctx: ReportContext, q: z.output<S>): Promise<A>;
  /** The CSV download: its file name (without .csv) and table. */
  csv(answer: A, ctx: ReportContext): { name: string; table: Table };
}

/** Parse `input` with `schema`; the first problem becomes a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.map(String).join('.');
  throw new MiniscopeError('bad_query', where ? `${where}: ${issue.message}` : issue.message, {
    path: where || undefined,
  });
}

/** `field:v1,v2` → a filter; numbers for numeric fields (the engine checks the values). */
export function parseFilter(text: string): Filter {
  const colon = text.indexOf(':');
  const field = text.slice(0, colon) as FilterField;
  if (colon < 1 || !FILTER_FIELDS.includes(field))
    throw new MiniscopeError('bad_query', `filter "${text}": write field:value,… with field one of ${FILTER_FIELDS}`, {
      path: 'filter',
    });
  const raw = text.slice(colon + 1).split(',');
  return { field, values: NUMERIC_FILTER_FIELDS.includes(field) ? raw.map(Number) : raw };
}

/** The range and filters of a request; missing dates default to the 7 days ending yesterday. */
export function rangeOf(
  p: { from?: string; to?: string; filter?: string[] },
  yesterday: string,
): { from: string; to: string; filters: Filter[] } {
  const to = p.to ?? yesterday;
  const from = p.from ?? addDays(to, -6);
  return { from, to, filters: (p.filter ?? []).map(parseFilter) };
}

export function sendCsv(reply: FastifyReply, name: string, table: Table): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}.csv"`)
    .send(toCsv(table));
}

/** The app of a request, or 404 (the access hook's answer for an app the caller may not see). */
export function requireApp(apps: Apps, appid: string): string {
  if (!apps.get(appid)) throw new MiniscopeError('unknown_app', `No app with AppID ${appid}`);
  return appid;
}

export function registerReport<S extends z.ZodType, A>(
  app: FastifyInstance,
  parts: DashboardParts,
  route: ReportRoute<S, A>,
): void {
  app.get<{ Params: Record<string, string> }>(
    `/api/apps/:appid/${route.path}`,
    { config: { access: 'app-data' } },
    async (request, reply) => {
      const { appid, ...params } = request.params;
      const ctx = { ...parts, app: requireApp(parts.apps, appid ?? ''), params };
      const q = parseQuery(route.query, request.query);
      const answer = await route.answer(ctx, q);
      if ((q as { format?: string }).format !== 'csv') return answer;
      const { name, table } = route.csv(answer, ctx);
      return sendCsv(reply, name, table);
    },
  );
}
