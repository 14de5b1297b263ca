/**
 * 自定义分析 report routes (custom-analysis.md; queries and answers: contract/src/custom.ts): a
 * report's query travels as JSON in `?q=`, is parsed by the contract's schema, runs through the one
 * report pipeline with the app's declared property types, and answers as JSON or, with
 * `format=csv`, as its table.
 */
import {
  type Cell,
  type EventAnalysis,
  type EventAnalysisPart,
  eventAnalysisQuery,
  type Table,
} from '@miniscope/contract';
import { z } from 'zod';
import { eventAnalysisReport } from '../metrics/custom/event-analysis.js';
import type { ReportRoute } from './route.js';

/** Longest `q` accepted (a query of 10 steps with 5 conditions each fits in a few KB). */
export const MAX_QUERY_CHARS = 16_384;

/** The query string of a custom report: its query as JSON in `q`, and the format. */
export function customRequest<S extends z.ZodType>(schema: S) {
  const json = z
    .string({ error: 'q: the report query as JSON' })
    .max(MAX_QUERY_CHARS)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'q must be the report query as JSON' });
        return z.NEVER;
      }
    });
  return z.object({ q: json.pipe(schema), format: z.enum(['json', 'csv']).optional() });
}

const cell = (v: number | null): Cell => v ?? '';

/** Rows of one part: a row per series and bucket, then its 合计 over the range. */
function eventRows(a: EventAnalysis, part: EventAnalysisPart, label?: string): Cell[][] {
  const whole = `合计 ${part.from}~${part.to}`;
  return part.series.flatMap((s) => {
    const lead = label ? [label] : [];
    const buckets =
      a.granularity === 'total' ? [] : part.buckets.map((b, i) => [...lead, b, ...s.group, ...s.values[i]!.map(cell)]);
    return [...buckets, [...lead, whole, ...s.group, ...s.total.map(cell)]];
  });
}

export const eventAnalysisRoute: ReportRoute<
  ReturnType<typeof customRequest<typeof eventAnalysisQuery>>,
  EventAnalysis
> = {
  path: 'custom/events',
  query: customRequest(eventAnalysisQuery),
  async answer(ctx, { q }) {
    const declared = ctx.customDefs.declaredTypes(ctx.app);
    const answer = await ctx.engine.run(eventAnalysisReport, { app: ctx.app, query: q, declared });
    return { app: ctx.app, ...answer };
  },
  csv(a, ctx) {
    const columns = [
      ...(a.compare ? ['范围'] : []),
      '时间',
      ...a.group_by.map((g) => g.label),
      ...a.metrics.map((m) => m.label),
    ];
    const rows = a.compare ? [...eventRows(a, a, '当前'), ...eventRows(a, a.compare, '对比')] : eventRows(a, a);
    const table: Table = { columns, rows };
    return { name: `events-${a.event}-${ctx.app}-${a.from}-${a.to}`, table };
  },
};
