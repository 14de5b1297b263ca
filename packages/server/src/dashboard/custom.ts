/**
 * 自定义分析 report routes (custom-analysis.md; queries and answers: contract/src/custom.ts): a
 * report's query travels as JSON in `?q=`, is parsed by the contract's schema, runs through the one
 * report pipeline with the app's declared property types, and answers as JSON or, with
 * `format=csv`, as its table (UTF-8 with BOM, as every CSV of the dashboard).
 */
import {
  type Cell,
  type EventAnalysis,
  type EventAnalysisPart,
  type EventRetention,
  eventAnalysisQuery,
  eventRetentionQuery,
  type Funnel,
  type FunnelSteps,
  funnelQuery,
  type Paths,
  pathQuery,
  type Table,
} from '@miniscope/contract';
import { z } from 'zod';
import { eventAnalysisReport } from '../metrics/custom/event-analysis.js';
import { eventRetentionReport } from '../metrics/custom/event-retention.js';
import { funnelReport } from '../metrics/custom/funnel.js';
import { pathsReport } from '../metrics/custom/paths-report.js';
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

/** A funnel's rows: per step, its users, the conversion from the step before and from step 1. */
function funnelRows(f: Funnel, group: string, s: FunnelSteps): Cell[][] {
  return f.steps.map((step, i) => [
    group,
    i + 1,
    step.label,
    s.users[i]!,
    s.conversion[i]!,
    s.users[0] ? s.users[i]! / s.users[0] : 0,
    i === f.steps.length - 1 && s.median_ms !== null ? s.median_ms / 1000 : '',
  ]);
}

export const funnelRoute: ReportRoute<ReturnType<typeof customRequest<typeof funnelQuery>>, Funnel> = {
  path: 'custom/funnel',
  query: customRequest(funnelQuery),
  async answer(ctx, { q }) {
    const declared = ctx.customDefs.declaredTypes(ctx.app);
    const answer = await ctx.engine.run(funnelReport, { app: ctx.app, query: q, declared });
    return { app: ctx.app, ...answer };
  },
  csv: (f, ctx) => ({
    name: `funnel-${ctx.app}-${f.from}-${f.to}`,
    table: {
      columns: ['分组', '步骤', '事件', '用户数', '转化率', '总体转化率', '转化时间中位数 (秒)'],
      rows: [...funnelRows(f, '全部', f), ...f.groups.flatMap((g) => funnelRows(f, g.group, g))],
    },
  }),
};

export const pathsRoute: ReportRoute<ReturnType<typeof customRequest<typeof pathQuery>>, Paths> = {
  path: 'custom/paths',
  query: customRequest(pathQuery),
  async answer(ctx, { q }) {
    const answer = await ctx.engine.run(pathsReport, { app: ctx.app, query: q });
    return { app: ctx.app, ...answer };
  },
  csv: (p, ctx) => ({
    name: `paths-${p.direction}-${ctx.app}-${p.from}-${p.to}`,
    table: {
      columns: ['类型', '步骤', '节点', '下一步', '打开次数'],
      rows: [
        ...p.nodes.map((n): Cell[] => ['节点', n.step, n.name, '', n.opens]),
        ...p.links.map((l): Cell[] => ['路径', l.step, l.source, l.target, l.opens]),
      ],
    },
  }),
};

export const eventRetentionRoute: ReportRoute<
  ReturnType<typeof customRequest<typeof eventRetentionQuery>>,
  EventRetention
> = {
  path: 'custom/retention',
  query: customRequest(eventRetentionQuery),
  async answer(ctx, { q }) {
    const declared = ctx.customDefs.declaredTypes(ctx.app);
    const answer = await ctx.engine.run(eventRetentionReport, { app: ctx.app, query: q, declared });
    return { app: ctx.app, ...answer };
  },
  csv: (r, ctx) => ({
    name: `event-retention-${ctx.app}-${r.from}-${r.to}`,
    table: {
      columns: ['开始日期', '结束日期', '间隔', '人数', '留存率'],
      rows: r.rows.flatMap((row) => row.values.map((v): Cell[] => [row.start, row.end, v.key, v.value, v.rate])),
    },
  }),
};
