/**
 * The one report pipeline, which every report of both front doors (dashboard API, datacube API)
 * goes through: check the query → read compaction's state once (freshness) → prepare what the SQL
 * needs to know (custom reports: property types) → use a result compaction stored, if any → build
 * the statements → run them → shape the answer. A report is one module declaring those steps (in
 * this folder, and custom analysis in ../custom); handlers hold no SQL.
 */
import { todayIn } from '@miniscope/contract';
import type { Store } from '../../store/store.js';
import { type Freshness, readFreshness } from '../plan/freshness.js';
import type { OpensSource } from '../plan/query.js';
import type { Params } from '../sql/params.js';

export interface Statement {
  sql: string;
  params: Params;
}

export type Row = Record<string, unknown>;

/** What the pipeline adds to a query before building it. */
export interface Planned {
  /** Compaction's state, for reports over compacted opens. */
  fresh?: Freshness;
  /** Today in the deployment's calendar. */
  today: string;
}

export interface ReportQuery {
  app: string;
  /** Where opens are read from; default compacted opens (plan/query.ts). */
  opensFrom?: OpensSource;
}

export interface Report<Q extends ReportQuery, A> {
  /** Throws a MiniscopeError naming the first problem of the query. */
  check(q: Q): void;
  /**
   * Whether the report reads compaction's output (all but real time, which reads raw events), or,
   * as a function, whether this query does (自定义分析 reads it only for first days).
   */
  readsCompaction: boolean | ((q: Q) => boolean);
  /** What the query needs to know from the store before its SQL is built (merged into it). */
  prepare?(store: Store, q: Q & Planned): Promise<Partial<Q>>;
  /** An answer compaction stored for exactly this query, if there is one. */
  stored?(store: Store, q: Q & Planned): Promise<A | undefined>;
  build(q: Q & Planned): Statement[];
  /** The answer, from the rows of each statement in order. */
  shape(rows: Row[][], q: Q & Planned): A;
}

export async function runReport<Q extends ReportQuery, A>(
  store: Store,
  report: Report<Q, A>,
  query: Q,
  now = Date.now(),
): Promise<A> {
  report.check(query);
  const reads = typeof report.readsCompaction === 'function' ? report.readsCompaction(query) : report.readsCompaction;
  const compacted = reads && (query.opensFrom ?? 'compacted') === 'compacted';
  const planned: Q & Planned = {
    ...query,
    fresh: compacted ? await readFreshness(store, query.app) : undefined,
    today: todayIn(store.timeZone, now),
  };
  const q = report.prepare ? { ...planned, ...(await report.prepare(store, planned)) } : planned;
  const stored = await report.stored?.(store, q);
  if (stored !== undefined) return stored;
  return computeReport(store, report, q);
}

/** Build, run and shape a query already planned (compaction plans its own, as of its run). */
export async function computeReport<Q extends ReportQuery, A>(
  store: Store,
  report: Report<Q, A>,
  q: Q & Planned,
): Promise<A> {
  const statements = report.build(q);
  const rows = await Promise.all(statements.map((s) => store.query<Row>(s.sql, s.params.values)));
  return report.shape(rows, q);
}

/** A statement over `params` (each statement has its own). */
export const statement = (sql: string, params: Params): Statement => ({ sql, params });
