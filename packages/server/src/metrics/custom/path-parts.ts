/**
 * 路径分析 from per-day parts: a paths shape's step rows (step, node, next node, 离开, opens) of one
 * compacted open day, written to `custom_path_parts` (schema/cache.ts) by the first report of that
 * shape (direction, start or end page, steps, events as nodes) that reads the day clean. Opens add
 * up across days, so a range reads a few hundred rows per day and groups only its other days' opens
 * (dirty days live, as every report reads them).
 *
 * Exact as a cache of compaction's output: a part is labelled with the day's compacted generation
 * it was computed from, and read only while that generation is the day's current one and the day is
 * clean for the report (plan/freshness.ts). Compaction recomputes a day when any event of its opens
 * arrives (custom events as nodes included), which gives it a new generation, so the part is made
 * anew from the next report that reads the day clean. Parts made more than TRUSTED_DAYS ago are not
 * read (the tables drop them at 90); a day's rows are written before its mark; a failure to make
 * them leaves the days to the usual read. Reads from the rollup or raw events (reference reads) do
 * not use parts.
 */
import type { Store } from '../../store/store.js';
import type { Planned } from '../reports/report.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { daysOf, partRowsWhere, readDayFigures, shapeHash, TRUSTED_DAYS } from './day-parts.js';
import { type PathsQuery, type PathsReportQuery, pathsSql } from './paths.js';

/** Bumped when what a part holds changes for the same shape (the shape key includes it). */
const PARTS_VERSION = 1;

type Q = PathsReportQuery & Planned;

/** The parts a report reads: its shape, and per open day the part made (epoch ms) to read. */
export interface PathPartsPlan {
  shape: string;
  /** Day ('YYYY-MM-DD') → when its part was made. */
  days: Record<string, number>;
}

/** The key of a paths query's shape: everything that decides its step rows, not its range or top K. */
export function pathShapeKey(query: PathsQuery): string {
  const shape = [PARTS_VERSION, query.direction, query.page ?? null, query.steps, query.events];
  return shapeHash(shape);
}

/** Each compacted day's current generation, and the newest part of `shape` made at it (when). */
function readDayState(store: Store, app: string, shape: string, days: string[]) {
  const params = new Params(app);
  const list = params.add(days, 'Array(Date)');
  const current = `SELECT day, max(gen) AS v ${params.scan('compacted_days', [`has(${list}, day)`])} GROUP BY day`;
  return readDayFigures(store, params, {
    gens: current,
    made: `SELECT day, max(made) AS v ${params.scan('custom_path_part_days', [
      `shape = ${params.add(shape, 'String')}`,
      `has(${list}, day)`,
      `(day, gen) IN (${current})`,
    ])} GROUP BY day`,
  });
}

/** Write the parts of the clean compacted days `due` (day → generation), made at `made`. */
async function materialize(store: Store, q: Q, shape: string, due: Map<string, number>, made: number) {
  const days = [...due.keys()].sort();
  const params = new Params(q.app);
  const list = params.add(days, 'Array(Date)');
  const gens = params.add(
    days.map((d) => due.get(d)!),
    'Array(UInt64)',
  );
  // The days are clean: their opens all come from compacted opens, none read live.
  const read: Q = { ...q, query: { ...q.query, from: days[0]!, to: days.at(-1)! }, fresh: { ...q.fresh!, dirty: [] } };
  await store.command(
    `INSERT INTO custom_path_parts (app_id, shape, day, gen, made, step, ends, node, next, opens)
     SELECT {app:String}, ${params.add(shape, 'String')}, day, ${gens}[indexOf(${list}, day)],
       ${params.add(made, 'UInt64')}, step, ends, node_name, next, opens
     FROM (${pathsSql(read, params, { days: list, byDay: true })})`,
    params.values,
  );
  await store.command(
    `INSERT INTO custom_path_part_days SELECT {app:String}, {shape:String}, arrayJoin({days:Array(Date)}) AS day,
       {gens:Array(UInt64)}[indexOf({days:Array(Date)}, day)], {made:UInt64}`,
    { app: q.app, shape, days, gens: days.map((d) => due.get(d)!), made },
  );
}

/**
 * The parts a report reads, making those of the clean compacted days that have none at their
 * current generation. Undefined when parts do not serve the report or none of its days has one.
 */
export async function planPathParts(store: Store, q: Q): Promise<PathPartsPlan | undefined> {
  if ((q.opensFrom ?? 'compacted') !== 'compacted' || q.fresh === undefined) return undefined;
  const shape = pathShapeKey(q.query);
  const days = daysOf(q.query);
  const state = await readDayState(store, q.app, shape, days);
  const dirty = new Set(q.fresh.dirty);
  const trusted = state.now - TRUSTED_DAYS * 86_400_000;
  const plan: PathPartsPlan = { shape, days: {} };
  const due = new Map<string, number>();
  const clean = days.filter((day) => state.gens.has(day) && !dirty.has(day));
  for (const day of clean) {
    const made = state.made.get(day) ?? 0;
    if (made > trusted) plan.days[day] = made;
    else due.set(day, state.gens.get(day)!);
  }
  if (due.size > 0 && (await materialized(store, q, shape, due, state.now)))
    for (const day of due.keys()) plan.days[day] = state.now;
  return Object.keys(plan.days).length > 0 ? plan : undefined;
}

/**
 * materialize(), and whether it succeeded: after a failure (the engine's memory or time limits) the
 * days are read as without parts, the same answer, only slower.
 */
async function materialized(store: Store, q: Q, shape: string, due: Map<string, number>, made: number) {
  try {
    await materialize(store, q, shape, due, made);
    return true;
  } catch {
    return false;
  }
}

/** Whether a paths report reads any part. */
export const readsPathParts = (plan: PathPartsPlan | undefined): plan is PathPartsPlan =>
  plan !== undefined && Object.keys(plan.days).length > 0;

/** The step rows of a report from its parts and its other days' opens (pathsSql's columns). */
export function pathPartsSql(q: Q, plan: PathPartsPlan, params: Params): string {
  const others = daysOf(q.query).filter((d) => plan.days[d] === undefined);
  const sources = [
    // LIMIT 1 BY: two reports that made a day's part in the same millisecond wrote the same rows.
    `SELECT step, node AS part_node, next AS part_next, ends, opens
      ${params.scan('custom_path_parts', partRowsWhere(params, plan.shape, plan.days, 'made'))}
      LIMIT 1 BY day, step, ends, node, next`,
  ];
  if (others.length > 0) {
    const rows = pathsSql(q, params, { days: params.add(others, 'Array(Date)') });
    sources.push(`SELECT step, node_name AS part_node, next AS part_next, ends, opens FROM (${rows})`);
  }
  return `SELECT step, any(part_node) AS node_name, any(part_next) AS next, ends, sum(opens) AS opens
    FROM (${sources.join('\n UNION ALL \n')})
    GROUP BY step, ends, cityHash64(part_node, part_next)
    ${QUERY_SETTINGS}`;
}
