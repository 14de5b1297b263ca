/**
 * What both kinds of per-day parts share (event-parts.ts for 事件分析, path-parts.ts for 路径分析):
 * the key of a query shape, the days of a range, how long a part is trusted, and reading per-day
 * figures (a day and a number each) with the engine's clock in one query.
 */
import { createHash } from 'node:crypto';
import { periodsIn } from '@miniscope/contract';
import type { Store } from '../../store/store.js';
import type { Params } from '../sql/params.js';

/** Parts are read for this many days after they were made (the tables drop them at 90). */
export const TRUSTED_DAYS = 60;

/** The key of a shape: the hash of what decides its parts. */
export const shapeHash = (shape: unknown[]) => createHash('sha256').update(JSON.stringify(shape)).digest('hex');

/** The days ('YYYY-MM-DD') of a range. */
export const daysOf = (r: { from: string; to: string }) => periodsIn(r.from, r.to, 'day').map((p) => p.start);

/**
 * The engine's clock (epoch ms) and, for each named subquery (columns `day`, `v`: a number), its
 * day → value map, in one query.
 */
export async function readDayFigures<K extends string>(
  store: Store,
  params: Params,
  figures: Record<K, string>,
): Promise<{ now: number } & Record<K, Map<string, number>>> {
  const names = Object.keys(figures) as K[];
  const columns = names.map(
    (name) => `(SELECT groupArray((toString(day), toString(v))) FROM (${figures[name]})) AS ${name}`,
  );
  const [row] = await store.query<Record<string, unknown>>(
    `SELECT ${['toString(toUnixTimestamp64Milli(now64(3))) AS now', ...columns].join(', ')}`,
    params.values,
  );
  const toMap = (pairs = [] as Array<[string, string]>) => new Map(pairs.map(([d, v]) => [d, Number(v)]));
  const maps = Object.fromEntries(names.map((name) => [name, toMap(row?.[name] as Array<[string, string]>)]));
  return { now: Number(row?.now), ...(maps as Record<K, Map<string, number>>) };
}

/**
 * The conditions that read, from a parts table, the rows of `shape` of each day of `days` at the
 * version given (day → the value of `column`, the table's generation or making time).
 */
export function partRowsWhere(
  params: Params,
  shape: string,
  days: Record<string, number>,
  column: 'gen' | 'made',
): string[] {
  const stored = Object.keys(days).sort();
  const versions = params.add(
    stored.map((d) => days[d]!),
    'Array(UInt64)',
  );
  return [
    `shape = ${params.add(shape, 'String')}`,
    `day >= ${params.date(stored[0]!)}`,
    `day <= ${params.date(stored.at(-1)!)}`,
    `has(arrayZip(${params.add(stored, 'Array(Date)')}, ${versions}), (day, ${column}))`,
  ];
}
