/** The cross-check (crosscheck-checks.ts) once compaction has covered the traffic: cubes, first days, stored portraits. */
import { describe } from 'node:test';
import { checks, setupCrosscheck } from './crosscheck-checks.js';

setupCrosscheck(true);
describe(
  'cross-check against an independent computation, read from compacted days, cubes and stored portraits',
  checks,
);
