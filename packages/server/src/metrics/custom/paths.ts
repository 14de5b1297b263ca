/**
 * 路径分析 (custom-analysis.md "Paths" and its precise readings): per counted open of the range (its
 * day as metrics.md says, with all its page views, also after midnight), the sequence of its page
 * views in time order with consecutive views of the same path collapsed; from a start page (or the
 * open's entry page) the N nodes from the open's first view of it, or to an end page the N nodes
 * ending at the open's last view of it. Per step, the top K nodes by opens (ties by name, string
 * order) are shown and the rest merged into 其他; an open whose walk ends at step s < N goes to 离开
 * (an edge only: 离开 is no node, so a step's nodes sum to the opens that reached it).
 *
 * Order of equal times: two page views at the same ms are taken in path order (string order; the
 * same in the stored sequence, definitions/open-facts.ts PAGES_SQL); with custom events as nodes
 * (`event:<name>`), a page view comes before an event at the same ms, and two events at the same ms
 * by name. Consecutive equal nodes are collapsed after interleaving. A start or end matches a node by
 * its name (so `event:<name>` may be a start when events are asked); "the open's entry page" is the
 * path of its first page view, and events before it are not followed.
 *
 * Speed: each open's page sequence is a fact of compacted opens (`pages`), so over pages only the
 * report reads one row per open (live days grouped from raw events, sql/opens.ts); with custom
 * events, only the opens that have one of them are grouped from raw events. ClickHouse turns the
 * sequences into (step, node, next node) counts; the top K, 其他 and 离开 are made here. Those counts
 * add up across opens: clean compacted days are read from per-day parts (path-parts.ts), and the
 * report that chooses (paths-report.ts) groups only the other days here.
 */
import { EXIT_NODE, OTHER_NODE, type PathQuery, type Paths, pathQuery } from '@miniscope/contract';
import type { z } from 'zod';
import { MiniscopeError } from '../../errors.js';
import type { Planned, ReportQuery, Row } from '../reports/report.js';
import { type OpensSpec, opensSql, userIdSql } from '../sql/opens.js';
import { type Params, QUERY_SETTINGS } from '../sql/params.js';

export type PathsQuery = z.output<typeof pathQuery>;

export interface PathsReportQuery extends ReportQuery {
  query: PathsQuery;
}

export type PathsAnswer = Omit<Paths, 'app'>;

type Q = PathsReportQuery & Planned;

/** The prefix of a custom event's node. */
export const EVENT_NODE_PREFIX = 'event:';

/** The query of a request, parsed (defaults filled in) and checked. */
export function parsePathQuery(input: PathQuery): PathsQuery {
  const parsed = pathQuery.safeParse(input);
  if (!parsed.success) throw new MiniscopeError('bad_query', parsed.error.issues[0]!.message);
  return parsed.data;
}

/** Whether the opens read carry the stored `pages` fact (the rollup cannot compute it). */
const readsPagesFact = (q: Q) => q.opensFrom !== 'open_rollup';

/** The event days an open of the range may have events on. */
function eventDays(q: Q, params: Params): string[] {
  // NOTE: an open's events may fall a day either side of its day: read with that margin. The spec
  // does not bound an open's length; as every read of opens (sql/opens.ts, compaction), an open is
  // taken to last less than a day, so page views beyond the margin are not in its path.
  return [`toDate(ts) >= ${params.date(q.query.from)} - 1`, `toDate(ts) <= ${params.date(q.query.to)} + 1`];
}

/** The asked custom events of the read (their event types). */
const askedEvents = (q: Q, params: Params) =>
  `type = 'event' AND name IN ${params.add(q.query.events, 'Array(String)')}`;

/**
 * Sequences grouped from raw events, of the opens (`raw_uid`, `raw_sid`) in `within` (a subquery of
 * (uid, sid) pairs): `raw_seq` their page views and asked custom events in the order of the header,
 * collapsed, and `raw_entry` their entry page.
 */
function rawSequencesSql(q: Q, params: Params, within: string): string {
  const types = q.query.events.length > 0 ? `(type = 'pv' OR (${askedEvents(q, params)}))` : "type = 'pv'";
  return `SELECT item_uid AS raw_uid, item_sid AS raw_sid, arraySort(groupArray((ts, item_kind, item))) AS sorted,
      arrayCompact(arrayMap(v -> v.3, sorted)) AS raw_seq, arrayFirst(v -> v.2 = 0, sorted).3 AS raw_entry
    FROM (
      SELECT ${userIdSql(q.opensFrom)} AS item_uid, sid AS item_sid, ts, toUInt8(type != 'pv') AS item_kind,
        if(type = 'pv', toString(path), concat('${EVENT_NODE_PREFIX}', toString(name))) AS item
      ${params.scan('events', [...eventDays(q, params), types])}
    )
    WHERE (item_uid, item_sid) IN (${within})
    GROUP BY item_uid, item_sid`;
}

/**
 * Each open's sequence `seq` and entry page `entry` (`opens` is the CTE of counted opens), with its
 * open day `day` when `byDay` (compacted opens only). Pages only: the stored fact. With custom
 * events: grouped from raw events for the opens that have one of them, the stored fact for the
 * others (their sequence is their pages'); from the rollup (a reference read), every open grouped
 * from raw events.
 */
function sequencesSql(q: Q, params: Params, byDay: boolean): string {
  if (!readsPagesFact(q)) {
    if (byDay) throw new Error('paths by open day read compacted opens');
    const raw = rawSequencesSql(q, params, 'SELECT uid, sid FROM opens');
    return `SELECT raw_seq AS seq, raw_entry AS entry FROM (${raw})`;
  }
  const day = byDay ? ', opens.day AS day' : '';
  if (q.query.events.length === 0) return `SELECT pages AS seq, seq[1] AS entry${day} FROM opens`;
  const evented = `SELECT DISTINCT ${userIdSql(q.opensFrom)}, sid
    ${params.scan('events', [...eventDays(q, params), askedEvents(q, params)])}`;
  // NOTE: an open without a match gets the join's defaults: an empty raw_seq.
  return `SELECT if(empty(raw_seq), pages, raw_seq) AS seq, if(empty(raw_seq), pages[1], raw_entry) AS entry${day}
    FROM opens LEFT JOIN (${rawSequencesSql(q, params, evented)}) AS r ON opens.uid = r.raw_uid AND opens.sid = r.raw_sid`;
}

/** The walk of each open: `walk` its nodes, `first_step` the step of its first node (and its `day`). */
function walksSql(q: Q, params: Params, byDay: boolean): string {
  const n = params.add(q.query.steps, 'UInt8');
  const page = q.query.page === undefined ? 'entry' : params.add(q.query.page, 'String');
  const day = byDay ? ', day' : '';
  if (q.query.direction === 'from') {
    return `SELECT arraySlice(seq, start_at, ${n}) AS walk, 1 AS first_step${day}
      FROM (SELECT seq${day}, toInt64(indexOf(seq, ${page})) AS start_at FROM seqs) WHERE start_at > 0`;
  }
  // To an end: its last view, and at most N - 1 nodes before it (the end is step N).
  return `SELECT arraySlice(seq, lo, end_at + 1 - lo) AS walk, ${n} + lo - end_at AS first_step${day}
    FROM (
      SELECT seq${day}, toInt64(length(seq)) + 1 - toInt64(indexOf(arrayReverse(seq), ${page})) AS end_at,
        greatest(1, end_at + 1 - ${n}) AS lo
      FROM seqs WHERE has(seq, ${page})
    )`;
}

/** What part of the range a paths statement reads, and whether it keeps the open days apart. */
export interface PathsOf {
  /** Only the opens of these days (a bound Array(Date)). */
  days?: string;
  /** One row per open day too (column `day`; compacted opens only). */
  byDay?: boolean;
}

/**
 * One row per step, node and what follows it: `next` the node at the next step ('' if none: no node
 * is named ''), `ends` 1 when the open's walk ended before step N (an edge to 离开).
 * NOTE: grouped by a 64-bit hash of (node, next) rather than the two strings (about 3× faster at
 * 900k opens); exact unless two pairs of one step and query collide (about n²/2⁶⁵ for n pairs).
 */
export function pathsSql(q: Q, params: Params, of: PathsOf = {}): string {
  const spec: OpensSpec = { from: q.query.from, to: q.query.to, source: q.opensFrom, fresh: q.fresh };
  const read = opensSql(readsPagesFact(q) ? { ...spec, facts: ['pages'] } : spec, params);
  const opens = of.days ? `SELECT * FROM (${read}) WHERE has(${of.days}, day)` : read;
  const byDay = of.byDay === true;
  const seqs = sequencesSql(q, params, byDay);
  const n = params.add(q.query.steps, 'UInt8');
  const day = byDay ? ['day'] : [];
  return `WITH opens AS (${opens}), seqs AS (${seqs}), walks AS (${walksSql(q, params, byDay)})
    SELECT ${[...day, 'toUInt8(first_step + i - 1) AS step', 'any(node) AS node_name', 'any(next_node) AS next'].join(', ')},
      toUInt8(i = length(walk) AND step < ${n}) AS ends, count() AS opens
    FROM walks ARRAY JOIN walk AS node, arrayPushBack(arrayPopFront(walk), '') AS next_node, arrayEnumerate(walk) AS i
    GROUP BY ${[...day, 'step', 'ends', 'cityHash64(node, next_node)'].join(', ')}
    ${QUERY_SETTINGS}`;
}

interface StepRow {
  step: number;
  node: string;
  next: string | null;
  ends: boolean;
  opens: number;
}

const stepRow = (r: Row): StepRow => ({
  step: Number(r.step),
  node: String(r.node_name),
  next: r.next ? String(r.next) : null,
  ends: Number(r.ends) === 1,
  opens: Number(r.opens),
});

const byOpensThenName = (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Opens per node at each step (steps 1..N). */
function openCounts(rows: StepRow[], steps: number): Array<Map<string, number>> {
  const counts = Array.from({ length: steps + 1 }, () => new Map<string, number>());
  for (const r of rows) counts[r.step]!.set(r.node, (counts[r.step]!.get(r.node) ?? 0) + r.opens);
  return counts;
}

/** The nodes of one step: its top K by opens, then 其他 with the rest (when there is a rest). */
function stepNodes(step: number, counts: Map<string, number>, top: number): Paths['nodes'] {
  const ranked = [...counts].sort(byOpensThenName);
  const nodes = ranked.slice(0, top).map(([name, opens]) => ({ step, name, opens }));
  const rest = ranked.slice(top).reduce((sum, [, opens]) => sum + opens, 0);
  if (ranked.length > top) nodes.push({ step, name: OTHER_NODE, opens: rest });
  return nodes;
}

/** The edges between shown nodes (a hidden node is 其他), summed, by step then opens then names. */
function stepLinks(rows: StepRow[], shown: Array<Set<string>>): Paths['links'] {
  const as = (step: number, node: string) => (shown[step]?.has(node) ? node : OTHER_NODE);
  const links = new Map<string, Paths['links'][number]>();
  for (const r of rows) {
    if (r.next === null && !r.ends) continue;
    const source = as(r.step, r.node);
    const target = r.ends ? EXIT_NODE : as(r.step + 1, r.next!);
    const key = JSON.stringify([r.step, source, target]);
    const link = links.get(key) ?? { step: r.step, source, target, opens: 0 };
    link.opens += r.opens;
    links.set(key, link);
  }
  const name = (l: Paths['links'][number]) => `${l.source}\u0000${l.target}`;
  return [...links.values()].sort(
    (a, b) => a.step - b.step || b.opens - a.opens || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0),
  );
}

/** The answer from the step rows. */
export function shapePaths(rows: Row[], query: PathsQuery): PathsAnswer {
  const steps = rows.map(stepRow);
  const counts = openCounts(steps, query.steps);
  const nodes = counts.flatMap((c, step) => (step === 0 ? [] : stepNodes(step, c, query.top)));
  const shown = counts.map(() => new Set<string>());
  for (const node of nodes) shown[node.step]!.add(node.name);
  return {
    from: query.from,
    to: query.to,
    direction: query.direction,
    page: query.page ?? null,
    nodes,
    links: stepLinks(steps, shown),
  };
}
