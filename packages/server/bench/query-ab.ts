/**
 * A/B of report sources on the bench data (not a test): each report run alternately from the
 * open rollup (`open_rollup`, the former default) and from compacted opens (`compacted`), min and median
 * of N runs each, so a noisy machine affects both alike.
 *
 *   node bin/run-ts.mjs bench/query-ab.ts [--data-dir data/bench-10M] [--runs 5]
 */
import { METRIC_IDS } from '@miniscope/contract';
import { loadConfig, parseFlags } from '../src/config.js';
import type { OpensSource } from '../src/metrics/plan/query.js';
import { distributionReport } from '../src/metrics/reports/distribution.js';
import { pagesReport } from '../src/metrics/reports/pages.js';
import { portraitReport } from '../src/metrics/reports/portrait.js';
import { retentionReport } from '../src/metrics/reports/retention.js';
import { scenesReport } from '../src/metrics/reports/scenes.js';
import { trendReport } from '../src/metrics/reports/trend.js';
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
  ['trend day', (s) => e.run(trendReport, { ...r30, granularity: 'day', metrics: METRIC_IDS, opensFrom: s })],
  [
    'trend 1 day',
    (s) => e.run(trendReport, { app, from: to, to, granularity: 'day', metrics: METRIC_IDS, opensFrom: s }),
  ],
  ['distribution', (s) => e.run(distributionReport, { ...r30, granularity: 'all', opensFrom: s })],
  ['scenes', (s) => e.run(scenesReport, { ...r30, opensFrom: s })],
  ['retention day', (s) => e.run(retentionReport, { ...r30, granularity: 'day', opensFrom: s })],
  ['pages', (s) => e.run(pagesReport, { ...r30, opensFrom: s })],
  ['portrait', (s) => e.run(portraitReport, { ...r30, opensFrom: s })],
];
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(0)}/${s[Math.floor(s.length / 2)]!.toFixed(0)}`;
};
console.log('| report | open_rollup min/p50 | compacted min/p50 |\n|---|---|---|');
for (const [name, run] of reports) {
  const t: Record<string, number[]> = { open_rollup: [], compacted: [] };
  for (let i = 0; i < runs; i++) {
    for (const s of ['open_rollup', 'compacted'] as const) {
      const t0 = performance.now();
      await run(s);
      t[s]!.push(performance.now() - t0);
    }
  }
  console.log(`| ${name} | ${stats(t.open_rollup!)} | ${stats(t.compacted!)} |`);
}
await m.close();
