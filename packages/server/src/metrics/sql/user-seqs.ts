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
 * Numbers of the users of `usersIn` (a subquery of distinct hashes, column uid): stored ones, and
 * temporary ones for users compaction has not numbered yet (columns uid, seq).
 */
export function numberedUsersSql(usersIn: string, params: Params): string {
  // One read of the stored numbers; users without one (0 from the join) ranked among themselves.
  const next = `ifNull((SELECT max(seq) ${params.scan('user_seq')}), 0) + row_number() OVER (PARTITION BY stored = 0 ORDER BY uid)`;
  return `SELECT uid, if(stored = 0, toUInt32(${next}), stored) AS seq
    FROM (${usersIn}) AS u
    LEFT JOIN (SELECT uid, seq AS stored FROM (${storedSeqsSql(`SELECT uid FROM (${usersIn})`, params)})) AS s USING (uid)`;
}

/**
 * Numbers of the users who may have live opens (any rollup row on a dirty day: a live open has
 * events on its own day), as numberedUsersSql gives them.
 */
export function liveSeqsSql(params: Params, fresh: Freshness): string {
  const users = `SELECT DISTINCT ${USER_HASH} AS uid
    ${params.scan('open_rollup', [`has(${params.add(fresh.dirty, 'Array(Date)')}, event_day)`])}`;
  return numberedUsersSql(users, params);
}

/** Opens (a subquery with column uid) with each user's number as column `seq`. */
export const withSeqSql = (opens: string, seqs: string) =>
  `SELECT * FROM (${opens}) AS o INNER JOIN (${seqs}) AS s USING (uid)`;
