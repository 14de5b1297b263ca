/**
 * 事件管理 and saved reports (custom-analysis.md "Event management", "Saved reports"):
 *
 * GET    /api/apps/:appid/custom/event-defs                         events seen, with notes and props
 * GET    /api/apps/:appid/custom/event-defs/:name/props/:prop/values  up to 100 most frequent values
 * PUT    /api/apps/:appid/custom/event-defs/:name                   display name, description, hidden
 * PUT    /api/apps/:appid/custom/props/:prop                        display name, description, type (once)
 * GET    /api/apps/:appid/custom/saved-reports                      the app's saved reports
 * POST   /api/apps/:appid/custom/saved-reports                      save a query under a name
 * PUT    /api/apps/:appid/custom/saved-reports/:id                  change it (its author or the admin)
 * DELETE /api/apps/:appid/custom/saved-reports/:id                  delete it (its author or the admin)
 *
 * Anyone who may read the app's data reads these; the admin and members with 数据分析 change them
 * (a viewer's 授权 is to read). Names in paths are checked before they reach the store.
 */
import {
  EVENT_NAME,
  type EventDef,
  eventAnalysisQuery,
  eventDefChange,
  eventRetentionQuery,
  funnelQuery,
  type PropDef,
  type PropValues,
  pathQuery,
  propDefChange,
  type SavedReport,
  type SavedReportKind,
  savedReportBody,
} from '@miniscope/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { MiniscopeError } from '../errors.js';
import { callerOf, parseBody } from '../http/auth-routes.js';
import type { StoredReport } from '../meta/custom-defs.js';
import { seenEvents, topValues } from '../metrics/custom/event-defs.js';
import { type DashboardParts, requireApp } from './route.js';

type Params = { appid: string; name?: string; prop?: string; id?: string };

/** The query schema of each kind of saved report, so a saved report always opens. */
const QUERY_OF: Record<SavedReportKind, z.ZodType> = {
  events: eventAnalysisQuery,
  funnel: funnelQuery,
  paths: pathQuery,
  retention: eventRetentionQuery,
};

function eventName(text: string | undefined): string {
  if (!text || !EVENT_NAME.test(text))
    throw new MiniscopeError('bad_request', 'An event name is lower-case letters, digits and _, at most 32');
  return text;
}

function propName(text: string | undefined): string {
  if (!text || text.length > 64) throw new MiniscopeError('bad_request', 'A property name is 1 to 64 characters');
  return text;
}

function reportId(text: string | undefined): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) throw new MiniscopeError('not_found', `No saved report ${text}`);
  return id;
}

function savedBody(body: unknown) {
  const report = parseBody(savedReportBody, body);
  const parsed = QUERY_OF[report.kind].safeParse(report.query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MiniscopeError('invalid_body', `query.${issue.path.join('.')}: ${issue.message}`);
  }
  return report;
}

export async function eventManagementRoutes(app: FastifyInstance, parts: DashboardParts): Promise<void> {
  const read = { config: { access: 'app-data' as const } };
  const change = { config: { access: 'app-analyst' as const } };
  const appOf = (request: FastifyRequest<{ Params: Params }>) => requireApp(parts.apps, request.params.appid);
  const defs = parts.customDefs;

  app.get<{ Params: Params }>('/api/apps/:appid/custom/event-defs', read, async (request) => {
    const appid = appOf(request);
    const notes = defs.events(appid);
    const props = defs.props(appid);
    const seen = await seenEvents(parts.engine.store, appid, parts.engine.today(), defs.declaredTypes(appid));
    const events: EventDef[] = seen.map((e) => {
      const note = notes.get(e.name);
      return {
        ...e,
        display_name: note?.display_name ?? null,
        description: note?.description ?? null,
        hidden: note?.hidden ?? false,
        props: e.props.map(
          (p): PropDef => ({
            name: p.name,
            type: p.type,
            declared: props.get(p.name)?.type != null,
            display_name: props.get(p.name)?.display_name ?? null,
            description: props.get(p.name)?.description ?? null,
          }),
        ),
      };
    });
    return { app: appid, events };
  });

  app.get<{ Params: Params }>(
    '/api/apps/:appid/custom/event-defs/:name/props/:prop/values',
    read,
    async (request): Promise<PropValues> => {
      const appid = appOf(request);
      const { name, prop } = request.params;
      const values = await topValues(parts.engine.store, appid, eventName(name), propName(prop), parts.engine.today());
      return { values };
    },
  );

  app.put<{ Params: Params }>('/api/apps/:appid/custom/event-defs/:name', change, async (request) => {
    const name = eventName(request.params.name);
    return { name, ...defs.setEvent(appOf(request), name, parseBody(eventDefChange, request.body)) };
  });

  app.put<{ Params: Params }>('/api/apps/:appid/custom/props/:prop', change, async (request) => {
    const prop = propName(request.params.prop);
    return { name: prop, ...defs.setProp(appOf(request), prop, parseBody(propDefChange, request.body)) };
  });

  /** Its author or the app's admin may change a saved report (a viewer never: no 数据分析). */
  const changes = (request: FastifyRequest<{ Params: Params }>, report: StoredReport) => {
    const { user, role } = callerOf(request);
    return role === 'admin' || (role === 'analyst' && report.created_by_id === user.id);
  };
  const view =
    (request: FastifyRequest<{ Params: Params }>) =>
    (stored: StoredReport): SavedReport => {
      const { created_by_id: _, ...report } = stored;
      return { ...report, can_change: changes(request, stored) };
    };
  const mayChange = (request: FastifyRequest<{ Params: Params }>, id: number) => {
    if (!changes(request, defs.savedReport(appOf(request), id)))
      throw new MiniscopeError('forbidden', 'Only its author or the admin (管理员) may change a saved report');
  };

  app.get<{ Params: Params }>('/api/apps/:appid/custom/saved-reports', read, async (request) => ({
    reports: defs.savedReports(appOf(request)).map(view(request)),
  }));

  app.post<{ Params: Params }>('/api/apps/:appid/custom/saved-reports', change, async (request, reply) => {
    const { user } = callerOf(request);
    const saved = defs.saveReport(appOf(request), user, savedBody(request.body));
    return reply.code(201).send(view(request)(saved));
  });

  app.put<{ Params: Params }>('/api/apps/:appid/custom/saved-reports/:id', change, async (request) => {
    const id = reportId(request.params.id);
    mayChange(request, id);
    return view(request)(defs.updateReport(appOf(request), id, savedBody(request.body)));
  });

  app.delete<{ Params: Params }>('/api/apps/:appid/custom/saved-reports/:id', change, async (request) => {
    const id = reportId(request.params.id);
    mayChange(request, id);
    defs.deleteReport(appOf(request), id);
    return { ok: true };
  });
}
