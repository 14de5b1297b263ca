/**
 * Bound parameters for one SQL statement. Every value reaches ClickHouse as a typed query
 * parameter (`{p0:Date}`), never as SQL text, and every statement is scoped to the one app the
 * Params were made for: `{app:String}` is bound at construction, and tables are read through
 * `scan()`, which writes the scope. Per-query settings go in SQL too (QUERY_SETTINGS).
 */
import type { QueryParams } from '../../store/store.js';

/** ClickHouse types a value may be bound as (a whitelist: the type is written into the SQL). */
export type ParamType =
  | 'String'
  | 'Date'
  | 'UInt8'
  | 'UInt16'
  | 'UInt64'
  | 'Int64'
  | 'Float64'
  | 'Array(String)'
  | 'Array(UInt8)'
  | 'Array(UInt16)'
  | 'Array(UInt64)'
  | 'Array(Date)';

/** The app scope of a statement over a table with `app_id`. */
export const APP_SCOPE = 'app_id = {app:String}';

export class Params {
  readonly values: QueryParams;
  private next = 0;

  constructor(readonly app: string) {
    this.values = { app };
  }

  /** Bind a value; returns its placeholder. */
  add(value: string | number | string[] | number[], type: ParamType): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  /** Bind a 'YYYY-MM-DD' date. */
  date(value: string): string {
    return this.add(value, 'Date');
  }

  /** `FROM table WHERE <the app scope> AND conditions`: every read of a table goes through this. */
  scan(table: string, conditions: readonly string[] = []): string {
    return `FROM ${table} WHERE ${[APP_SCOPE, ...conditions].join(' AND ')}`;
  }
}

/**
 * The SETTINGS clause of every report query. NOTE: per-query settings go in SQL, never in the
 * client call (chdb makes per-call settings stick to the session; research/storage-spike.md).
 */
export const QUERY_TIMEOUT_SECONDS = 60;
export const QUERY_SETTINGS = `SETTINGS max_execution_time = ${QUERY_TIMEOUT_SECONDS}`;
