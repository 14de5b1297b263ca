/**
 * What the dashboard routes need, and the one way a route resolves its app: through the caller
 * and `canRead` (access.ts), before any query runs.
 */
import type { FastifyRequest } from 'fastify';
import type { Apps } from '../meta/apps.js';
import type { MetricsEngine } from '../metrics/engine.js';
import { callerOf, requireReadable } from './access.js';

export interface ReportParts {
  engine: MetricsEngine;
  apps: Apps;
}

export interface AppRequest {
  Params: { appid: string };
}

/** The app of `/api/apps/:appid/…`, if the caller may read it (else 404). */
export function appOf(request: FastifyRequest<AppRequest>, parts: ReportParts): string {
  return requireReadable(parts.apps, callerOf(request), request.params.appid);
}
