/**
 * Users' dense numbers, as the cubes count distinct users by them (roaring bitmaps). Compaction
 * gives each user of an app a number the first time it sees them (compaction/user-seqs.ts). Users
 * of live opens who arrived after the last run get temporary numbers above every stored one; within
 * one statement every use of them gets the same numbers (ranked by user hash over one fixed set).
 */
import { USER_HASH } from '../definitions/open-facts.js';
import type { Freshness } from '../plan/freshness.js';
import type { Params } from './params.js';

/** Stored numbers of the users of `usersIn` (columns uid, seq). */
export const storedSeqsSql = (usersIn: string, params: Params) =>
  `SELECT user_hash AS uid, seq ${params.scan('user_seq', [`user_hash IN (${usersIn})`])}`;

/**
 * Numbers of the users who may have live opens (any rollup row on a dirty day: a live open has
 * events on its own day): stored ones, and temporary ones for users compaction has not numbered yet
 * (columns uid, seq).
 */
export function liveSeqsSql(params: Params, fresh: Freshness): string {
  const users = `SELECT DISTINCT ${USER_HASH} AS uid
    ${params.scan('open_rollup', [`has(${params.add(fresh.dirty, 'Array(Date)')}, event_day)`])}`;
  return `${storedSeqsSql(users, params)}
    UNION ALL
    SELECT uid, toUInt32(ifNull((SELECT max(seq) ${params.scan('user_seq')}), 0) + row_number() OVER (ORDER BY uid)) AS seq
    FROM (${users})
    WHERE uid NOT IN (SELECT user_hash ${params.scan('user_seq', [`user_hash IN (${users})`])})`;
}

/** Opens (a subquery with column uid) with each user's number as column `seq`. */
export const withSeqSql = (opens: string, seqs: string) =>
  `SELECT * FROM (${opens}) AS o INNER JOIN (${seqs}) AS s USING (uid)`;
