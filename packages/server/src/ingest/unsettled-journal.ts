/**
 * The journal of unsettled flushes (flush-writer.ts): a flush that may be partly stored is kept on
 * disk, one file per flush, until the same insert with the same token has gone through. A process
 * that stops or crashes meanwhile finds it at the next start and completes it, so a batch is never
 * left half stored (and then answered as a duplicate). Files are written to a temporary name,
 * fsynced and renamed, so a crash never leaves half a file under the real name.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BatchKey } from './flush-writer.js';

export interface UnsettledFlush {
  /** The deduplication token the flush was first written with (server-made: [A-Za-z0-9_-]). */
  token: string;
  /** Its `events_in` lines, as first sent. */
  text: string;
  rows: number;
  keys: BatchKey[];
}

const FILE = /^[A-Za-z0-9_-]+\.json$/;

export class UnsettledJournal {
  constructor(private readonly dir: string) {}

  save(flush: UnsettledFlush): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.fileOf(flush.token);
    const temp = `${file}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(flush));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  }

  remove(token: string): void {
    fs.rmSync(this.fileOf(token), { force: true });
  }

  /** Every journaled flush (files that do not parse are left in place and skipped). */
  load(): UnsettledFlush[] {
    if (!fs.existsSync(this.dir)) return [];
    const flushes: UnsettledFlush[] = [];
    for (const name of fs.readdirSync(this.dir).sort()) {
      if (!FILE.test(name)) continue;
      try {
        const flush = JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as UnsettledFlush;
        if (typeof flush.token === 'string' && typeof flush.text === 'string' && Array.isArray(flush.keys)) {
          flushes.push({ ...flush, text: currentLines(flush.text) });
        }
      } catch {
        // A file that does not parse was never renamed into place by save(); nothing to replay.
      }
    }
    return flushes;
  }

  private fileOf(token: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error(`bad flush token ${token}`);
    return path.join(this.dir, `${token}.json`);
  }
}

/**
 * Lines journaled by a version before migration 9 carry events of ten fields; `events_in` now takes
 * eleven (the numeric properties last). Such events get an empty map, which is what they would have
 * had: older versions kept no numeric properties. The flush keeps its token, so the engine still
 * deduplicates it against the part it may have stored.
 */
export function currentLines(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (line === '') return line;
      const row = JSON.parse(line) as unknown[];
      const events = row[row.length - 1];
      if (!Array.isArray(events) || !events.some((e) => Array.isArray(e) && e.length === 10)) return line;
      row[row.length - 1] = events.map((e) => (Array.isArray(e) && e.length === 10 ? [...e, {}] : e));
      return JSON.stringify(row);
    })
    .join('\n');
}
