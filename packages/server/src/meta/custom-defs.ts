/**
 * What a team says about its custom events (custom-analysis.md "Event management", "Saved
 * reports"), kept in the metadata database: display names, descriptions and hiding of events;
 * display names, descriptions and declared types of properties (a type is declared once); saved
 * report queries. What was seen (names, counts, values) is read from the events store instead
 * (metrics/custom/event-defs.ts).
 */
import type { PropType, SavedReport, SavedReportKind } from '@miniscope/contract';
import { MiniscopeError } from '../errors.js';
import type { MetaDb } from './db.js';

export interface EventNote {
  display_name: string | null;
  description: string | null;
  hidden: boolean;
}

export interface PropNote {
  display_name: string | null;
  description: string | null;
  type: PropType | null;
}

type Change<T> = { [K in keyof T]?: T[K] | null | undefined };

interface SavedRow {
  id: number;
  kind: SavedReportKind;
  name: string;
  query: string;
  created_by_id: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** A saved report as stored: with its author's account, without what depends on the caller. */
export type StoredReport = Omit<SavedReport, 'can_change'> & { created_by_id: number | null };

const toSaved = (r: SavedRow): StoredReport => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  query: JSON.parse(r.query) as Record<string, unknown>,
  created_by_id: r.created_by_id,
  created_by: r.created_by,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

/** Saved reports an app keeps at most (a list, not a store of everything). */
export const MAX_SAVED_REPORTS = 200;

export class CustomDefs {
  constructor(private readonly db: MetaDb) {}

  /** Notes on every event of an app that has any, by name. */
  events(appid: string): Map<string, EventNote> {
    const rows = this.db
      .prepare('SELECT name, display_name, description, hidden FROM event_defs WHERE appid = ?')
      .all(appid) as Array<{ name: string; display_name: string | null; description: string | null; hidden: number }>;
    return new Map(rows.map((r) => [r.name, { ...r, hidden: r.hidden === 1 }]));
  }

  /** Notes on every property of an app that has any, by name. */
  props(appid: string): Map<string, PropNote> {
    const rows = this.db
      .prepare('SELECT prop, display_name, description, type FROM prop_defs WHERE appid = ?')
      .all(appid) as Array<PropNote & { prop: string }>;
    return new Map(rows.map(({ prop, ...note }) => [prop, note]));
  }

  /** Declared property types of an app. */
  declaredTypes(appid: string): Record<string, PropType> {
    const types: Record<string, PropType> = {};
    for (const [prop, note] of this.props(appid)) if (note.type) types[prop] = note.type;
    return types;
  }

  /** Change an event's notes (fields left out keep their value; null clears). */
  setEvent(appid: string, name: string, change: Change<EventNote>): EventNote {
    const now = this.events(appid).get(name) ?? { display_name: null, description: null, hidden: false };
    const next = { ...now, ...definedOf(change) } as EventNote;
    this.db
      .prepare(
        `INSERT INTO event_defs (appid, name, display_name, description, hidden) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (appid, name) DO UPDATE SET display_name = excluded.display_name,
           description = excluded.description, hidden = excluded.hidden`,
      )
      .run(appid, name, next.display_name, next.description, next.hidden ? 1 : 0);
    return next;
  }

  /** Change a property's notes; its type can be declared once, and then not changed. */
  setProp(appid: string, prop: string, change: Change<PropNote>): PropNote {
    const now = this.props(appid).get(prop) ?? { display_name: null, description: null, type: null };
    if (change.type && now.type && change.type !== now.type)
      throw new MiniscopeError('type_declared', `${prop} is already declared a ${now.type}`);
    const next = { ...now, ...definedOf(change), type: now.type ?? change.type ?? null } as PropNote;
    this.db
      .prepare(
        `INSERT INTO prop_defs (appid, prop, display_name, description, type) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (appid, prop) DO UPDATE SET display_name = excluded.display_name,
           description = excluded.description, type = excluded.type`,
      )
      .run(appid, prop, next.display_name, next.description, next.type);
    return next;
  }

  savedReports(appid: string) {
    const rows = this.db
      .prepare('SELECT * FROM saved_reports WHERE appid = ? ORDER BY updated_at DESC, id DESC')
      .all(appid) as SavedRow[];
    return rows.map(toSaved);
  }

  savedReport(appid: string, id: number) {
    const row = this.db.prepare('SELECT * FROM saved_reports WHERE appid = ? AND id = ?').get(appid, id) as
      | SavedRow
      | undefined;
    if (!row) throw new MiniscopeError('not_found', `No saved report ${id} in this app`);
    return toSaved(row);
  }

  saveReport(
    appid: string,
    by: { id: number; displayName: string },
    report: { kind: SavedReportKind; name: string; query: Record<string, unknown> },
    now = Date.now(),
  ) {
    const count = this.db.prepare('SELECT count(*) AS n FROM saved_reports WHERE appid = ?').get(appid) as {
      n: number;
    };
    if (count.n >= MAX_SAVED_REPORTS)
      throw new MiniscopeError('bad_request', `An app keeps at most ${MAX_SAVED_REPORTS} saved reports`);
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO saved_reports (appid, kind, name, query, created_by_id, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(appid, report.kind, report.name, JSON.stringify(report.query), by.id, by.displayName, now, now);
    return this.savedReport(appid, Number(lastInsertRowid));
  }

  updateReport(
    appid: string,
    id: number,
    report: { kind: SavedReportKind; name: string; query: Record<string, unknown> },
    now = Date.now(),
  ) {
    this.savedReport(appid, id);
    this.db
      .prepare('UPDATE saved_reports SET kind = ?, name = ?, query = ?, updated_at = ? WHERE appid = ? AND id = ?')
      .run(report.kind, report.name, JSON.stringify(report.query), now, appid, id);
    return this.savedReport(appid, id);
  }

  deleteReport(appid: string, id: number): void {
    this.savedReport(appid, id);
    this.db.prepare('DELETE FROM saved_reports WHERE appid = ? AND id = ?').run(appid, id);
  }
}

/** The fields a change sets (undefined: left as is). */
function definedOf<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<T>;
}
