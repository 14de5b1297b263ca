/**
 * The local control path of a running server: HTTP on a Unix socket in its data directory
 * (`control.sock`, owner-only). The embedded engine admits one process per data directory, so while
 * the server runs only the server can back its store up; `miniscope backup` asks it here. The socket
 * is the server's user's alone (mode 600), who can read every byte of the data directory anyway, so
 * it needs no other credential; nothing of it is on the network.
 * It also tells a second `miniscope start` that a server runs, before it touches the engine.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const CONTROL_SOCKET = 'control.sock';
/** sockaddr_un holds 108 bytes; a longer path cannot be a socket. */
const MAX_SOCKET_PATH = 107;

export interface ControlHandlers {
  status(): Record<string, unknown>;
  backup(to: string): Promise<Record<string, unknown>>;
}

export interface ControlAnswer {
  status: number;
  body: Record<string, unknown>;
}

export const socketPath = (dataDir: string) => path.join(dataDir, CONTROL_SOCKET);

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

/**
 * Listen on the data directory's socket; undefined (and a reason) when the path is too long for one.
 * A socket left by a killed server is replaced: the caller has checked that no server answers on it.
 */
export async function serveControl(
  dataDir: string,
  handlers: ControlHandlers,
): Promise<{ close(): Promise<void> } | { unavailable: string }> {
  const file = socketPath(dataDir);
  if (Buffer.byteLength(file) > MAX_SOCKET_PATH)
    return { unavailable: `the path of ${file} is longer than a Unix socket allows` };
  let busy = false;
  const server = http.createServer(async (request, response) => {
    const send = (status: number, body: Record<string, unknown>) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    try {
      if (request.method === 'GET' && request.url === '/status') return send(200, handlers.status());
      if (request.method !== 'POST' || request.url !== '/backup') return send(404, { error: 'no such control' });
      const { to } = await readJson(request);
      if (typeof to !== 'string') return send(400, { error: 'say where: {"to": "/absolute/dir"}' });
      if (busy) return send(409, { error: 'a backup is already running; wait for it to end' });
      busy = true;
      try {
        send(200, await handlers.backup(to));
      } finally {
        busy = false;
      }
    } catch (error) {
      send(500, { error: (error as Error).message });
    }
  });
  // The requests of a long backup outlast Node's default timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  fs.rmSync(file, { force: true });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(file, resolve));
  fs.chmodSync(file, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(file, { force: true });
      }),
  };
}

/** Ask the server on `dataDir`; undefined when none answers (not started, or stopped). */
export function askServer(
  dataDir: string,
  method: 'GET' | 'POST',
  route: string,
  body?: Record<string, unknown>,
): Promise<ControlAnswer | undefined> {
  const file = socketPath(dataDir);
  if (!fs.existsSync(file)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: file, method, path: route }, (response) => {
      readJson(response).then((json) => resolve({ status: response.statusCode ?? 0, body: json }), reject);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A socket file without a listener: a server that was killed; nothing runs.
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
    request.end(body ? JSON.stringify(body) : undefined);
  });
}
