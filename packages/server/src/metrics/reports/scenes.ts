/**
 * Source drill-down (来源分析 → a source): counted opens and distinct users per scene value over a
 * range, optionally within one access source key, with the scenes' names. An open whose `open`
 * event never arrived has scene 0.
 */
import { MiniscopeError } from '../../errors.js';
import { SCENE_CUBE } from '../definitions/cubes.js';
import { sceneName } from '../definitions/scene-names.js';
import { checkRange, type RangeQuery } from '../plan/query.js';
import { cubeRowsSql, readsCubes } from '../sql/cube-rows.js';
import { opensSql, rangeOpens } from '../sql/opens.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { type Planned, type Report, statement } from './report.js';

export interface ScenesQuery extends RangeQuery {
  /** Only scenes of this access source key (1–57). */
  source?: number;
}

export interface SceneRow {
  scene: number;
  name: string;
  source: number;
  sessions: number;
  users: number;
}

/** Scenes over the opens themselves (filtered queries, the reference sources). */
function opensScenesSql(q: ScenesQuery & Planned, params: Params): string {
  const filters = [
    ...(q.filters ?? []),
    ...(q.source === undefined ? [] : [{ field: 'source' as const, values: [q.source] }]),
  ];
  const opens = opensSql({ ...rangeOpens(q), facts: ['open_scene', 'open_source'], filters }, params);
  return `SELECT open_scene AS scene, any(open_source) AS source, count() AS sessions, uniqExact(uid) AS users
     FROM (${opens}) GROUP BY scene ORDER BY sessions DESC, scene ${QUERY_SETTINGS}`;
}

/** The same from the scene cube (the source key is a column there). */
function cubeScenesSql(q: ScenesQuery & Planned, params: Params): string {
  const source = q.source === undefined ? '' : `WHERE cube_source = ${params.add(q.source, 'UInt8')}`;
  return `SELECT cube_scene AS scene, any(cube_source) AS source, sum(cube_opens) AS sessions,
      groupBitmapMerge(cube_users) AS users
     FROM (${cubeRowsSql(SCENE_CUBE, q.from, q.to, params, q.fresh!)}) ${source}
     GROUP BY scene ORDER BY sessions DESC, scene ${QUERY_SETTINGS}`;
}

export const scenesReport: Report<ScenesQuery, SceneRow[]> = {
  readsCompaction: true,
  check(q) {
    checkRange(q);
    const { source } = q;
    if (source !== undefined && !(Number.isInteger(source) && source >= 1 && source <= 255))
      throw new MiniscopeError('bad_filter', 'source must be a source key');
  },
  build(q) {
    const params = new Params(q.app);
    return [statement(readsCubes(q) ? cubeScenesSql(q, params) : opensScenesSql(q, params), params)];
  },
  shape([rows = []]) {
    return rows.map((r) => ({
      scene: Number(r.scene),
      name: sceneName(Number(r.scene)),
      source: Number(r.source),
      sessions: Number(r.sessions),
      users: Number(r.users),
    }));
  },
};
