/**
 * Bound parameters for one SQL statement. Every value reaches ClickHouse as a typed query
 * parameter (`{p0:Date}`), never as SQL text; each statement is scoped to one app by `{app:String}`.
 */
import type { QueryParams } from '../store/store.js';

/** ClickHouse types a value may be bound as (a whitelist: the type is written into the SQL). */
export type ParamType =
  | 'String'
  | 'Date'
  | 'UInt8'
  | 'UInt16'
  | 'UInt64'
  | 'Int64'
  | 'Array(String)'
  | 'Array(UInt8)'
  | 'Array(UInt16)'
  | 'Array(Date)';

export class Params {
  readonly values: QueryParams;
  private next = 0;

  constructor(app: string) {
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
}

/** The app scope every statement carries. */
export const APP_SCOPE = 'app_id = {app:String}';
