/**
 * What the dashboard routes need, and the one way a route resolves its app (access.ts) before any
 * query runs.
 */
import type { FastifyRequest } from 'fastify';
import type { Apps } from '../meta/apps.js';
import type { MetricsEngine } from '../metrics/engine.js';
import { requireReadable } from './access.js';

export interface ReportParts {
  engine: MetricsEngine;
  apps: Apps;
}

export interface AppRequest {
  Params: { appid: string };
}

/** The app of `/api/apps/:appid/…` (the access hook has checked the caller's role in it), else 404. */
export function appOf(request: FastifyRequest<AppRequest>, parts: ReportParts): string {
  return requireReadable(parts.apps, request.params.appid);
}
