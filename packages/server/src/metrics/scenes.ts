/**
 * Source drill-down: counted opens and distinct users per scene value over a range, optionally
 * within one access source key. An open whose `open` event never arrived has scene 0.
 */
import type { Store } from '../store/store.js';
import { type Freshness, withFreshness } from './compacted-days.js';
import { cubeRowsSql, readsCubes, SCENE_CUBE } from './cubes.js';
import { opensSql, rangeOpens } from './opens-sql.js';
import { Params } from './params.js';
import { checkRange, MetricQueryError, type RangeQuery } from './query.js';
import { QUERY_SETTINGS } from './settings.js';

export interface ScenesQuery extends RangeQuery {
  /** Only scenes of this access source key (1–57). */
  source?: number;
}

export interface SceneRow {
  scene: number;
  source: number;
  sessions: number;
  users: number;
}

type Row = { scene: number; source: number; sessions: string; users: string };

export async function runScenes(store: Store, query: ScenesQuery): Promise<SceneRow[]> {
  checkRange(query);
  const { source } = query;
  if (source !== undefined && !(Number.isInteger(source) && source >= 1 && source <= 255))
    throw new MetricQueryError('bad_filter', 'source must be a source key');
  const q = await withFreshness(store, query);
  const params = new Params(q.app);
  const rows = await store.query<Row>(
    readsCubes(q) ? cubeScenesSql(q, params) : opensScenesSql(q, params),
    params.values,
  );
  return rows.map((r) => ({
    scene: Number(r.scene),
    source: Number(r.source),
    sessions: Number(r.sessions),
    users: Number(r.users),
  }));
}

/** Scenes over the opens themselves (filtered queries, the reference sources). */
function opensScenesSql(q: ScenesQuery, params: Params): string {
  const filters = [
    ...(q.filters ?? []),
    ...(q.source === undefined ? [] : [{ field: 'source' as const, values: [q.source] }]),
  ];
  const opens = opensSql({ ...rangeOpens(q), columns: ['o_scene', 'o_source'], filters }, params);
  return `SELECT o_scene AS scene, any(o_source) AS source, count() AS sessions, uniqExact(uid) AS users
     FROM (${opens}) GROUP BY scene ORDER BY sessions DESC, scene ${QUERY_SETTINGS}`;
}

/** The same from the scene cube (the source key is a column there). */
function cubeScenesSql(q: ScenesQuery & { fresh: Freshness }, params: Params): string {
  const source = q.source === undefined ? '' : `WHERE c_source = ${params.add(q.source, 'UInt8')}`;
  return `SELECT c_scene AS scene, any(c_source) AS source, sum(c_opens) AS sessions, groupBitmapMerge(c_users) AS users
     FROM (${cubeRowsSql(SCENE_CUBE, q.from, q.to, params, q.fresh)}) ${source}
     GROUP BY scene ORDER BY sessions DESC, scene ${QUERY_SETTINGS}`;
}
