/**
 * The partial rows of a cube (definitions/cubes.ts) over a range of open days: the stored rows of
 * compacted, clean days, plus the partials of the live opens of dirty days, computed by the same
 * partials query compaction runs. A report aggregates them once, so its figures are exact whatever
 * is compacted.
 */
import { type Cube, columnList } from '../definitions/cubes.js';
import { aroundDirty, CURRENT_GEN_SQL, type Freshness } from '../plan/freshness.js';
import type { RangeQuery } from '../plan/query.js';
import { liveOpensSql } from './opens.js';
import type { Params } from './params.js';
import { liveSeqsSql, withSeqSql } from './user-seqs.js';

/** Whether a query reads the cubes: unfiltered, from compacted opens (the default). */
export function readsCubes<Q extends RangeQuery>(q: Q): q is Q & { fresh: Freshness } {
  return q.fresh !== undefined && (q.opensFrom ?? 'compacted') === 'compacted' && (q.filters ?? []).length === 0;
}

/** The partial rows (day, then the cube's columns) of the open days from..to. */
export function cubeRowsSql(cube: Cube, from: string, to: string, params: Params, fresh: Freshness): string {
  const where = [`day >= ${params.date(from)}`, `day <= ${params.date(to)}`, `(day, gen) IN (${CURRENT_GEN_SQL})`];
  if (fresh.dirty.length > 0) where.push(`NOT has(${params.add(fresh.dirty, 'Array(Date)')}, day)`);
  const stored = `SELECT day, ${columnList(cube)} ${params.scan(cube.table, where)}`;
  const live = liveOpensSql({ from, to, facts: cube.facts, fresh }, params);
  if (!live) return stored;
  const opens = withSeqSql(live, liveSeqsSql(params, fresh));
  const events = `app_id = {app:String} AND has(${params.add(aroundDirty(fresh), 'Array(Date)')}, toDate(ts))
    AND toDate(ts) >= ${params.date(from)} - 1 AND toDate(ts) <= ${params.date(to)} + 1`;
  return `${stored} UNION ALL ${cube.partials(opens, events)}`;
}
