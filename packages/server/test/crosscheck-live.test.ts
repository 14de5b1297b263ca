/** The cross-check (crosscheck-checks.ts) on live reads: nothing compacted yet. */
import { describe } from 'node:test';
import { checks, setupCrosscheck } from './crosscheck-checks.js';

setupCrosscheck(false);
describe('cross-check against an independent computation, read live', checks);
