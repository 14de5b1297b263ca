/**
 * How the dashboard talks to the server: JSON over `fetch` with the session cookie, the CSRF token
 * on state-changing requests, and the server's one error shape turned into `ApiError`. A 401 tells
 * the session module (through `onUnauthenticated`) so the app can go to the login page. Only the
 * API modules beside this one (dashboard.ts, accounts.ts) call it: they hold every URL.
 */

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds the server asks to wait before trying again (its Retry-After), if it said. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

let csrfToken = '';
let unauthenticated: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function onUnauthenticated(handler: () => void): void {
  unauthenticated = handler;
}

type Value = string | number | boolean;
/** A query string's parameters; a list is written as the parameter repeated. */
export type Query = Record<string, Value | readonly Value[] | undefined | null>;

/** `path?query`, leaving out empty values. */
export function urlOf(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    for (const one of Array.isArray(v) ? v : [v])
      if (one !== undefined && one !== null && one !== '') params.append(k, String(one));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data as ErrorBody | null)?.error;
    if (res.status === 401 && !url.startsWith('/api/auth/login')) unauthenticated();
    const retryAfter = Number(res.headers.get('retry-after')) || undefined;
    throw new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? `HTTP ${res.status}`, retryAfter);
  }
  return data as T;
}

export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', urlOf(path, query)),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown = {}) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};
