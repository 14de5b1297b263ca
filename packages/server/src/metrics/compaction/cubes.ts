/** The rows a run writes into the day cubes (definitions/cubes.ts), from the opens it has just written. */
import { type Cube, columnList } from '../definitions/cubes.js';
import { Params } from '../sql/params.js';
import { storedSeqsSql, withSeqSql } from '../sql/user-seqs.js';

/**
 * INSERT of a cube's rows for the open days `{days:Array(Date)}` (within {lo:Date}..{hi:Date}) from
 * the opens compaction has just written as generation `{gen:UInt64}` of `{app:String}`.
 */
export function cubeInsertSql(cube: Cube, app: string): string {
  const scope = new Params(app);
  const written = ['gen = {gen:UInt64}', 'has({days:Array(Date)}, day)'];
  const opens = withSeqSql(
    `SELECT user_hash AS uid, sid, day, pvs, ${cube.facts.join(', ')} ${scope.scan('opens_final', written)}`,
    storedSeqsSql(`SELECT user_hash ${scope.scan('opens_final', written)}`, scope),
  );
  const events = 'app_id = {app:String} AND toDate(ts) >= {lo:Date} - 1 AND toDate(ts) <= {hi:Date} + 1';
  return `INSERT INTO ${cube.table} (app_id, day, gen, ${columnList(cube)})
    SELECT {app:String}, day, {gen:UInt64}, ${columnList(cube)} FROM (${cube.partials(opens, events)})
    SETTINGS max_execution_time = 600`;
}
