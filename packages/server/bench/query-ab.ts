/**
 * A/B of report sources on the bench data (not a test): each report run alternately from the
 * rollup (`sessions`, the former default) and from compacted opens (`compacted`), min and median
 * of N runs each, so a noisy machine affects both alike.
 *
 *   node bin/run-ts.mjs bench/query-ab.ts [--data-dir data/bench-10M] [--runs 5]
 */
import { loadConfig, parseFlags } from '../src/config.js';
import type { OpensSource } from '../src/metrics/opens-sql.js';
import { METRIC_IDS } from '../src/metrics/registry.js';
import { createMiniscope } from '../src/miniscope.js';

const { flags } = parseFlags(process.argv.slice(2));
const runs = Number(flags.runs ?? 5);
const m = await createMiniscope(
  loadConfig({}, { 'data-dir': flags['data-dir'] ?? 'data/bench-10M', 'log-level': 'warn' }),
);
await m.metrics.compact();
const e = m.metrics;
const app = 'wx00000000000b0b0b';
const to = e.yesterday();
const d = (n: number) => new Date(Date.parse(`${to}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const r30 = { app, from: d(29), to };
const reports: Array<[string, (s: OpensSource) => Promise<unknown>]> = [
  ['trend day', (s) => e.trend({ ...r30, granularity: 'day', metrics: METRIC_IDS, opensFrom: s })],
  ['trend 1 day', (s) => e.trend({ app, from: to, to, granularity: 'day', metrics: METRIC_IDS, opensFrom: s })],
  ['distribution', (s) => e.distribution({ ...r30, granularity: 'all', opensFrom: s })],
  ['scenes', (s) => e.scenes({ ...r30, opensFrom: s })],
  ['retention day', (s) => e.retention({ ...r30, granularity: 'day', opensFrom: s })],
  ['pages', (s) => e.pages({ ...r30, opensFrom: s })],
  ['portrait', (s) => e.portrait({ ...r30, opensFrom: s })],
];
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(0)}/${s[Math.floor(s.length / 2)]!.toFixed(0)}`;
};
console.log('| report | sessions min/p50 | compacted min/p50 |\n|---|---|---|');
for (const [name, run] of reports) {
  const t: Record<string, number[]> = { sessions: [], compacted: [] };
  for (let i = 0; i < runs; i++) {
    for (const s of ['sessions', 'compacted'] as const) {
      const t0 = performance.now();
      await run(s);
      t[s]!.push(performance.now() - t0);
    }
  }
  console.log(`| ${name} | ${stats(t.sessions!)} | ${stats(t.compacted!)} |`);
}
await m.close();
