/** Runs `miniscope start` as a child process (for crash tests and benchmarks) and waits for READY. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'miniscope.mjs');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>;
}

export function startServerProcess(dataDir: string, flags: string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', ...flags],
    {
      env: { ...process.env, MINISCOPE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const ready = /READY (http:\/\/\S+)/.exec(log);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, url: ready[1]!, output: () => log, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => reject(new Error(`server exited (${code}) before READY:\n${log}`)));
  });
}
