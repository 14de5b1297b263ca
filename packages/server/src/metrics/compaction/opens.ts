/**
 * The finished rows of `opens_final`: one per counted open of the days a run recomputes, with every
 * fact (definitions/open-facts.ts) computed from raw events, so reports read one plain row per open.
 */
import { OPEN_FACTS, OPEN_SOURCES, USER_HASH, USER_PLACE_FACTS } from '../definitions/open-facts.js';

/**
 * INSERT of the counted opens of the days `{days:Array(Date)}` (within {lo:Date}..{hi:Date}) of
 * `{app:String}` as generation `{gen:UInt64}`.
 */
export function finalOpensInsertSql(): string {
  const e = OPEN_SOURCES.events;
  const names = [...OPEN_FACTS, ...USER_PLACE_FACTS];
  const facts = names.map((f) => `${e.facts[f]} AS ${f}`);
  return `INSERT INTO opens_final (app_id, day, user_id, user_hash, sid, gen, pvs, ${names.join(', ')})
    SELECT app_id, ${e.day} AS day, user_id, ${USER_HASH} AS user_hash, sid, {gen:UInt64} AS gen, ${e.pvs} AS pvs,
      ${facts.join(', ')}
    FROM events
    WHERE app_id = {app:String} AND toDate(ts) >= {lo:Date} - 1 AND toDate(ts) <= {hi:Date} + 1
    GROUP BY app_id, user_id, sid
    HAVING pvs > 0 AND has({days:Array(Date)}, day)
    SETTINGS max_execution_time = 600`;
}
