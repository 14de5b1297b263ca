/**
 * The SETTINGS clause of every report query. NOTE: per-query settings go in SQL, never in the
 * client call (chdb makes per-call settings stick to the session; research/storage-spike.md).
 */
export const QUERY_TIMEOUT_SECONDS = 60;
export const QUERY_SETTINGS = `SETTINGS max_execution_time = ${QUERY_TIMEOUT_SECONDS}`;
