/**
 * An independent reading of docs/spec/custom-analysis.md (自定义分析: event analysis, funnels, paths,
 * event retention) in plain TypeScript over the events a test sent, sharing no code with the engine
 * (only the contract's types of queries and answers): the cross-check (crosscheck-custom*.test.ts)
 * compares the engine's answers, through the HTTP API, with these. Written from the spec, its
 * "Precise readings" followed to the letter; where the spec leaves a choice open, the reading taken
 * is written down where it is made (look for "READING" and "NOTE").
 */
import type {
  Condition,
  EventAnalysisQuery,
  EventMetric,
  EventRetentionQuery,
  FieldRef,
  Filters,
  FunnelQuery,
  PathQuery,
} from '@miniscope/contract';
import { addDays, sceneKeysFromSpec, shanghaiDay } from './reference.js';

type PropValue = string | number | boolean;
type PropType = 'number' | 'string';

/** A batch's attributes as the server stores them (platform in lower case; place from the IP). */
export interface Attrs {
  gender: number;
  birthYear: number;
  platform: string;
  brand: string;
  model: string;
  network: string;
  wechat: string;
  baselib: string;
  province: string;
  city: string;
}

/** An event as stored: its corrected time, and for custom events their name and props. */
export interface SentEvent {
  user: string;
  sid: string;
  at: number;
  t: string;
  path: string;
  scene: number;
  name: string;
  props: Record<string, PropValue>;
  attrs: Attrs;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const NO_VALUE = '(无值)';
export const OTHER = '其他';
export const EXIT = '离开';
const GENDERS: Record<number, string> = { 0: '未知', 1: '男', 2: '女' };
const AGE_BANDS: Array<[number, string]> = [
  [17, '17岁以下'],
  [24, '18-24岁'],
  [29, '25-29岁'],
  [39, '30-39岁'],
  [49, '40-49岁'],
  [Number.POSITIVE_INFINITY, '50岁以上'],
];
const NUMBER_FORM = /^[+-]?[0-9]+(\.[0-9]+)?$/;

// ---- calendar (Asia/Shanghai, no daylight saving) ----

const days = new WeakMap<SentEvent, string>();
/** The day of an event's own time (kept: the reference asks it often). */
function dayOf(e: SentEvent): string {
  let day = days.get(e);
  if (day === undefined) {
    day = shanghaiDay(e.at);
    days.set(e, day);
  }
  return day;
}
const hourOf = (ms: number) => `${new Date(ms + 8 * HOUR).toISOString().slice(0, 13).replace('T', ' ')}:00`;
const dow = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const mondayOf = (day: string) => addDays(day, -((dow(day) + 6) % 7));
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
const nextMonth = (first: string) => monthOf(addDays(first, 31));
type Granularity = 'day' | 'week' | 'month';
/** The period of `granularity` holding `day`. */
function periodOf(day: string, g: Granularity): { start: string; end: string } {
  if (g === 'day') return { start: day, end: day };
  if (g === 'week') return { start: mondayOf(day), end: addDays(mondayOf(day), 6) };
  return { start: monthOf(day), end: addDays(nextMonth(monthOf(day)), -1) };
}
/** The period `n` periods after the one starting at `start`. */
function shifted(start: string, n: number, g: Granularity): { start: string; end: string } {
  if (g === 'day') return periodOf(addDays(start, n), g);
  if (g === 'week') return periodOf(addDays(start, 7 * n), g);
  let s = start;
  for (let i = 0; i < n; i++) s = nextMonth(s);
  return periodOf(s, g);
}
function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
/** The periods meeting from..to, whole. */
function periodsMeeting(from: string, to: string, g: Granularity) {
  const out: Array<{ start: string; end: string }> = [];
  for (let p = periodOf(from, g); p.start <= to; p = shifted(p.start, 1, g)) out.push(p);
  return out;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKeys = (a: string[], b: string[]) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = byText(a[i] ?? '', b[i] ?? '');
    if (c) return c;
  }
  return 0;
};
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

export interface RefEventPart {
  from: string;
  to: string;
  buckets: string[];
  partial: boolean[];
  series: Array<{ group: string[]; values: Array<Array<number | null>>; total: Array<number | null> }>;
}

export interface RefFunnelSteps {
  users: number[];
  conversion: number[];
  overall: number;
  median_ms: number | null;
}

export class CustomReference {
  /** Custom events by time. */
  readonly custom: SentEvent[];
  /** Per open (user + sid): its events by time. */
  private readonly opens = new Map<string, SentEvent[]>();
  /** The scene of each open's `open` event (the first one, if it came twice). */
  private readonly scenes = new Map<string, number>();
  /** Each user's day of their first counted open. */
  private readonly firstDay = new Map<string, string>();
  private readonly sceneKeys = sceneKeysFromSpec();
  private readonly types = new Map<string, PropType>();

  constructor(
    events: SentEvent[],
    private readonly today: string,
    declared: Record<string, PropType> = {},
  ) {
    const sorted = [...events].sort((a, b) => a.at - b.at);
    this.custom = sorted.filter((e) => e.t === 'event');
    for (const e of sorted) {
      const key = `${e.user}\u0000${e.sid}`;
      this.opens.set(key, [...(this.opens.get(key) ?? []), e]);
      if (e.t === 'open' && !this.scenes.has(key)) this.scenes.set(key, e.scene);
    }
    // metrics.md: an open counts with a page view; its day is its `open` event's, else its first event's.
    for (const [key, list] of this.opens) {
      if (!list.some((e) => e.t === 'pv')) continue;
      const day = this.openDay(key);
      const user = list[0]!.user;
      const seen = this.firstDay.get(user);
      if (!seen || day < seen) this.firstDay.set(user, day);
    }
    this.inferTypes(declared);
  }

  /**
   * The opens (user and sid) with an event neither on the open's day nor the next: none in the
   * traffic, as the reading below needs. NOTE (the spec does not bound an open's length, only says
   * its page views count "also those after midnight"): an open's events lie on its day or the next,
   * since a mini program suspended for 30 minutes is destroyed (wechat-analytics.md §1.4); the
   * engine reads opens so (sql/opens.ts), and this reference's scenes and paths are the same as the
   * engine's only for such opens. An open longer than that (kept in the foreground past the next
   * midnight) would have its later page views out of its path and its later events without a scene
   * in the engine.
   */
  opensBeyondADay(): string[] {
    const out: string[] = [];
    for (const [key, list] of this.opens) {
      const day = this.openDay(key);
      const next = addDays(day, 1);
      if (list.some((e) => dayOf(e) < day || dayOf(e) > next)) out.push(key.replace('\u0000', ' '));
    }
    return out;
  }

  private openDay(key: string): string {
    const list = this.opens.get(key)!;
    return shanghaiDay((list.find((e) => e.t === 'open') ?? list[0]!).at);
  }

  /**
   * Property types: declared, else number iff every value present in the 30 days ending today is a
   * JSON number. READING (the spec is silent on a property with no value in those 30 days): it is
   * read from the 30 days ending on the last day it was seen (the engine's note in
   * prop-types.ts says the same); a name never seen is a string.
   */
  private inferTypes(declared: Record<string, PropType>): void {
    const seen = new Map<string, Array<{ day: string; num: boolean }>>();
    for (const e of this.custom) {
      for (const [k, v] of Object.entries(e.props)) {
        if (!seen.has(k)) seen.set(k, []);
        seen.get(k)!.push({ day: dayOf(e), num: typeof v === 'number' });
      }
    }
    for (const [prop, values] of seen) {
      const present = values.filter((v) => v.day <= this.today);
      const last =
        present
          .map((v) => v.day)
          .sort(byText)
          .at(-1) ?? '';
      const end = last >= addDays(this.today, -29) ? this.today : last;
      const window = present.filter((v) => v.day > addDays(end, -30) && v.day <= end);
      this.types.set(prop, window.length > 0 && window.every((v) => v.num) ? 'number' : 'string');
    }
    for (const [prop, type] of Object.entries(declared)) this.types.set(prop, type);
  }

  typeOf(prop: string): PropType {
    return this.types.get(prop) ?? 'string';
  }

  /** Every property seen, with its type, by event name. */
  propsByEvent(): Map<string, Map<string, PropType>> {
    const out = new Map<string, Map<string, PropType>>();
    for (const e of this.custom) {
      if (!out.has(e.name)) out.set(e.name, new Map());
      for (const k of Object.keys(e.props)) out.get(e.name)!.set(k, this.typeOf(k));
    }
    return out;
  }

  // ---- reading fields ----

  /** A property as text: a string as sent, a number or boolean as its JSON text; null when absent. */
  private propText(e: SentEvent, prop: string): string | null {
    const v = e.props[prop];
    if (v === undefined) return null;
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  /** A number property's value: a JSON number, or a string of the form [+-]digits[.digits]; else null. */
  private propNumber(e: SentEvent, prop: string): number | null {
    const v = e.props[prop];
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'string' && NUMBER_FORM.test(v)) return Number(v);
    return null;
  }

  /**
   * A system field as text (null: no value). READINGS: `age` is the band of the batch's birth year
   * against the year of the event's own day (metrics.md bands it against the range's end for
   * portraits; an event is its own moment here), 未知 without a birth year; `platform` is as the
   * server stores it (lower case); attributes sent empty or not at all have no value, except
   * gender and age which read 未知; `source` is the source key (metrics.md) of the open's scene, as
   * text.
   */
  private systemText(e: SentEvent, field: string): string | null {
    const nonEmpty = (s: string) => (s === '' ? null : s);
    const key = `${e.user}\u0000${e.sid}`;
    switch (field) {
      case 'path':
        return nonEmpty(e.path);
      case 'scene':
        return this.scenes.has(key) ? String(this.scenes.get(key)) : null;
      case 'source':
        return this.scenes.has(key) ? String(this.sceneKeys.get(this.scenes.get(key)!) ?? 10) : null;
      case 'gender':
        return GENDERS[e.attrs.gender] ?? '未知';
      case 'age': {
        if (!e.attrs.birthYear) return '未知';
        const age = Number(dayOf(e).slice(0, 4)) - e.attrs.birthYear;
        return AGE_BANDS.find(([max]) => age <= max)![1];
      }
      case 'user_type':
        return this.firstDay.get(e.user) === dayOf(e) ? '新用户' : '老用户';
      default:
        return nonEmpty(e.attrs[field as keyof Attrs] as string);
    }
  }

  private text(e: SentEvent, f: FieldRef): string | null {
    return 'prop' in f ? this.propText(e, f.prop) : this.systemText(e, f.field);
  }

  /** One condition on one event (string operators on text, number operators on a number property). */
  matches(e: SentEvent, c: Condition): boolean {
    if ('prop' in c.on && this.typeOf(c.on.prop) === 'number') {
      const v = this.propNumber(e, c.on.prop);
      const x = Number(c.value);
      switch (c.op) {
        case 'has_value':
          return v !== null;
        case 'no_value':
          return v === null;
        case '=':
          return v !== null && v === x;
        case '!=':
          return v === null || v !== x;
        case '>':
          return v !== null && v > x;
        case '>=':
          return v !== null && v >= x;
        case '<':
          return v !== null && v < x;
        case '<=':
          return v !== null && v <= x;
        case 'between':
          return v !== null && x <= v && v <= c.to!;
        default:
          throw new Error(`${c.op} on a number property`);
      }
    }
    const v = this.text(e, c.on);
    const x = String(c.value);
    switch (c.op) {
      case 'has_value':
        return v !== null;
      case 'no_value':
        return v === null;
      case '=':
        return v !== null && v === x;
      case '!=':
        return v === null || v !== x;
      case 'contains':
        return v === null ? false : v.includes(x);
      case 'not_contains':
        return v === null || !v.includes(x);
      default:
        throw new Error(`${c.op} on text`);
    }
  }

  /** Filters as a query may give them (`match` defaults to all). */
  private passes(e: SentEvent, f: (Omit<Filters, 'match'> & { match?: Filters['match'] }) | undefined): boolean {
    const cs = f?.conditions ?? [];
    if (cs.length === 0) return true;
    return f?.match === 'any' ? cs.some((c) => this.matches(e, c)) : cs.every((c) => this.matches(e, c));
  }

  private inRange(e: SentEvent, from: string, to: string): boolean {
    const d = dayOf(e);
    return d >= from && d <= to;
  }

  // ---- event analysis ----

  /** Buckets (starts) of a range and which are partial. READING: a bucket cut by the range starts at the range's first day. */
  buckets(from: string, to: string, g: EventAnalysisQuery['granularity'] = 'day') {
    if (g === 'total') return { starts: [from], partial: [to >= this.today], of: (_: SentEvent) => from };
    if (g === 'hour') {
      const starts = daysOf(from, to).flatMap((d) =>
        Array.from({ length: 24 }, (_, h) => `${d} ${String(h).padStart(2, '0')}:00`),
      );
      return { starts, partial: starts.map((s) => s.slice(0, 10) >= this.today), of: (e: SentEvent) => hourOf(e.at) };
    }
    const periods = periodsMeeting(from, to, g);
    const clip = (s: string) => (s < from ? from : s);
    return {
      starts: periods.map((p) => clip(p.start)),
      partial: periods.map((p) => p.start < from || p.end > to || p.end >= this.today),
      of: (e: SentEvent) => clip(periodOf(dayOf(e), g).start),
    };
  }

  private metricValues(metrics: EventMetric[], events: SentEvent[]): Array<number | null> {
    const users = new Set(events.map((e) => e.user)).size;
    return metrics.map((m) => {
      if (!('prop' in m)) {
        if (m.kind === 'count') return events.length;
        return m.kind === 'users' ? users : ratio(events.length, users);
      }
      // NOTE (READING; the spec names distinct values for string properties only, the engine reads
      // the same, event-analysis.ts valueSql): distinct values are the property's values as read, so
      // in a number property, numbers (12 and '12' one value, '007' and 7 one, 'abc' and ' 7' none).
      if (m.kind === 'distinct') {
        const read = (e: SentEvent) =>
          this.typeOf(m.prop) === 'number' ? this.propNumber(e, m.prop) : this.propText(e, m.prop);
        return new Set(events.map(read).filter((v) => v !== null)).size;
      }
      if (this.typeOf(m.prop) !== 'number') throw new Error(`${m.prop} is not a number property`);
      const values = events.map((e) => this.propNumber(e, m.prop)).filter((v): v is number => v !== null);
      const sum = values.reduce((s, v) => s + v, 0);
      switch (m.kind) {
        case 'sum':
          return sum;
        case 'avg':
          return ratio(sum, values.length);
        case 'per_user_sum':
          return ratio(sum, users);
        case 'max':
          return values.length ? Math.max(...values) : null;
        default:
          return values.length ? Math.min(...values) : null;
      }
    });
  }

  eventPart(q: EventAnalysisQuery, range: { from: string; to: string }): RefEventPart {
    const { starts, partial, of } = this.buckets(range.from, range.to, q.granularity ?? 'day');
    const groupBy = q.group_by ?? [];
    const events = this.custom.filter(
      (e) => e.name === q.event && this.inRange(e, range.from, range.to) && this.passes(e, q.filters),
    );
    const groups = new Map<string, SentEvent[]>();
    for (const e of events) {
      const key = JSON.stringify(groupBy.map((f) => this.text(e, f) ?? NO_VALUE));
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(e);
    }
    const series = [...groups].map(([key, list]) => {
      const byBucket = new Map<string, SentEvent[]>();
      for (const e of list) {
        const bucket = of(e);
        if (!byBucket.has(bucket)) byBucket.set(bucket, []);
        byBucket.get(bucket)!.push(e);
      }
      return {
        group: JSON.parse(key) as string[],
        values: starts.map((s) => this.metricValues(q.metrics, byBucket.get(s) ?? [])),
        total: this.metricValues(q.metrics, list),
      };
    });
    // Top first by the first metric over the range, ties by key (string order). READING: a max or min
    // without any value (null) is below every number.
    const first = (s: { total: Array<number | null> }) => s.total[0] ?? Number.NEGATIVE_INFINITY;
    series.sort((a, b) => first(b) - first(a) || byKeys(a.group, b.group));
    return { from: range.from, to: range.to, buckets: starts, partial, series };
  }

  eventAnalysis(q: EventAnalysisQuery) {
    return {
      ...this.eventPart(q, q),
      compare: q.compare ? this.eventPart(q, q.compare) : null,
    };
  }

  // ---- funnels ----

  /**
   * A funnel. Per user, from each event matching step 1 (in the range), the earliest event matching
   * step 2 strictly later, then the earliest matching step 3 strictly later than that, and so on
   * while within the window of the start: the earliest choice at each step leaves the most room for
   * the next, so the steps reached from a start, and its smallest tn − t1, are those of this chain.
   * The user reaches the most steps any start reaches. READINGS: the default window is the whole
   * range (no sequence in the range can exceed it); a user's group is that of their earliest
   * matching step-1 event, and when two such events share that ms, the smallest group value (the
   * spec does not say); groups come largest first (by step-1 users), ties by group (string order);
   * over_time lists every day of the range; conversion of step 1 is 1.
   */
  funnel(q: FunnelQuery) {
    const n = q.steps.length;
    const window = q.window_ms ?? Number.POSITIVE_INFINITY;
    const names = new Set(q.steps.map((s) => s.event));
    const byUser = new Map<string, SentEvent[]>();
    for (const e of this.custom) {
      if (!names.has(e.name) || !this.inRange(e, q.from, q.to) || !this.passes(e, q.filters)) continue;
      byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
    }
    const stepMatch = (e: SentEvent, k: number) =>
      e.name === q.steps[k]!.event && (q.steps[k]!.filters ?? []).every((c) => this.matches(e, c));
    const users: Array<{ level: number; best: number | null; group: string; day: string }> = [];
    for (const list of byUser.values()) {
      const starts = list.filter((e) => stepMatch(e, 0));
      if (starts.length === 0) continue;
      let level = 0;
      let best: number | null = null;
      for (const s of starts) {
        let k = 1;
        let t = s.at;
        while (k < n) {
          const next = list.find((e) => e.at > t && e.at - s.at <= window && stepMatch(e, k));
          if (!next) break;
          t = next.at;
          k++;
        }
        level = Math.max(level, k);
        if (k === n) best = best === null ? t - s.at : Math.min(best, t - s.at);
      }
      const t0 = starts[0]!.at;
      const groupOf = (e: SentEvent) => (q.group_by ? (this.text(e, q.group_by) ?? NO_VALUE) : '');
      const group = starts
        .filter((e) => e.at === t0)
        .map(groupOf)
        .sort(byText)[0]!;
      users.push({ level, best, group, day: shanghaiDay(t0) });
    }
    const steps = (us: typeof users): RefFunnelSteps => {
      const reached = Array.from({ length: n }, (_, k) => us.filter((u) => u.level >= k + 1).length);
      return {
        users: reached,
        conversion: reached.map((u, k) => (k === 0 ? 1 : ratio(u, reached[k - 1]!))),
        overall: ratio(reached[n - 1]!, reached[0]!),
        median_ms: median(us.filter((u) => u.level === n).map((u) => u.best!)),
      };
    };
    const groupNames = [...new Set(users.map((u) => u.group))];
    const groups = q.group_by
      ? groupNames
          .map((group) => ({ group, ...steps(users.filter((u) => u.group === group)) }))
          .sort((a, b) => b.users[0]! - a.users[0]! || byText(a.group, b.group))
      : [];
    const over_time = daysOf(q.from, q.to).map((day) => {
      const s = steps(users.filter((u) => u.day === day));
      return { day, users: s.users[0]!, converted: s.users[n - 1]!, overall: s.overall };
    });
    return { ...steps(users), groups, over_time, window_ms: q.window_ms ?? daysOf(q.from, q.to).length * DAY };
  }

  // ---- paths ----

  /**
   * The node sequence of each counted open of the range (its day, with all its page views): page
   * views and the asked custom events (`event:<name>`) in time order, a page view first at an equal
   * time, consecutive equal nodes collapsed. READINGS (the spec is silent): two custom events at the
   * same ms go by name; two page views at the same ms by path (the traffic sends none).
   */
  private sequences(q: PathQuery): Array<{ seq: string[]; entry: string }> {
    const asked = new Set(q.events ?? []);
    const out: Array<{ seq: string[]; entry: string }> = [];
    for (const [key, list] of this.opens) {
      if (!list.some((e) => e.t === 'pv')) continue;
      const day = this.openDay(key);
      if (day < q.from || day > q.to) continue;
      const items = list
        .filter((e) => e.t === 'pv' || (e.t === 'event' && asked.has(e.name)))
        .map((e) => ({ at: e.at, kind: e.t === 'pv' ? 0 : 1, node: e.t === 'pv' ? e.path : `event:${e.name}` }))
        .sort((a, b) => a.at - b.at || a.kind - b.kind || byText(a.node, b.node));
      const seq: string[] = [];
      for (const it of items) if (seq[seq.length - 1] !== it.node) seq.push(it.node);
      out.push({ seq, entry: items.find((i) => i.kind === 0)!.node });
    }
    return out;
  }

  /**
   * A path report: per open its walk (from the first occurrence of the start, or of the open's entry
   * page, N nodes; or the N nodes ending at the last occurrence of the end page, the end at step N),
   * nodes per step (top K by opens, ties by name, the rest as 其他 when there is a rest), links
   * between consecutive nodes (hidden nodes as 其他), and an edge to 离开 from an open's last node
   * before step N. READING: the order of nodes and links in the answer is not specified (compared
   * as sets).
   */
  paths(q: PathQuery) {
    const N = q.steps ?? 5;
    const K = q.top ?? 10;
    const walks: Array<{ first: number; nodes: string[] }> = [];
    for (const { seq, entry } of this.sequences(q)) {
      if (q.direction === 'from') {
        const i = seq.indexOf(q.page ?? entry);
        if (i >= 0) walks.push({ first: 1, nodes: seq.slice(i, i + N) });
      } else {
        const i = seq.lastIndexOf(q.page!);
        if (i < 0) continue;
        const lo = Math.max(0, i - N + 1);
        walks.push({ first: N - (i - lo), nodes: seq.slice(lo, i + 1) });
      }
    }
    const counts = Array.from({ length: N + 2 }, () => new Map<string, number>());
    for (const w of walks)
      w.nodes.forEach((node, i) => {
        const c = counts[w.first + i]!;
        c.set(node, (c.get(node) ?? 0) + 1);
      });
    const nodes: Array<{ step: number; name: string; opens: number }> = [];
    const shown = counts.map(() => new Set<string>());
    for (let step = 1; step <= N; step++) {
      const ranked = [...counts[step]!].sort((a, b) => b[1] - a[1] || byText(a[0], b[0]));
      for (const [name, opens] of ranked.slice(0, K)) {
        nodes.push({ step, name, opens });
        shown[step]!.add(name);
      }
      if (ranked.length > K)
        nodes.push({ step, name: OTHER, opens: ranked.slice(K).reduce((s, [, opens]) => s + opens, 0) });
    }
    const as = (step: number, node: string) => (shown[step]!.has(node) ? node : OTHER);
    const links = new Map<string, number>();
    const link = (step: number, source: string, target: string) => {
      const key = JSON.stringify([step, source, target]);
      links.set(key, (links.get(key) ?? 0) + 1);
    };
    for (const w of walks) {
      w.nodes.forEach((node, i) => {
        const step = w.first + i;
        if (i + 1 < w.nodes.length) link(step, as(step, node), as(step + 1, w.nodes[i + 1]!));
        else if (step < N) link(step, as(step, node), EXIT);
      });
    }
    return {
      nodes,
      links: [...links].map(([key, opens]) => {
        const [step, source, target] = JSON.parse(key) as [number, string, string];
        return { step, source, target, opens };
      }),
      opens: walks.length,
    };
  }

  // ---- event retention ----

  /**
   * Event retention: per period meeting the range, the cohort of users who did the initial event in
   * the whole period; key 0 the cohort size, key n those of them who did the return event in the
   * period n after. Keys as in metrics.md (day: 0–7, 14, 30; week: 0–4; month: 0–1); a key whose
   * period ends today or later is left out, key 0 too (so a cohort of today has no key at all). The
   * rate is the value ÷ the cohort (0 for an empty cohort). READING: a row per period meeting the
   * range, labelled with the whole period.
   */
  retention(q: EventRetentionQuery) {
    const g = q.granularity ?? 'day';
    const keys = { day: [0, 1, 2, 3, 4, 5, 6, 7, 14, 30], week: [0, 1, 2, 3, 4], month: [0, 1] }[g];
    const did = (step: EventRetentionQuery['initial'], p: { start: string; end: string }) =>
      new Set(
        this.custom
          .filter(
            (e) =>
              e.name === step.event &&
              this.inRange(e, p.start, p.end) &&
              (step.filters ?? []).every((c) => this.matches(e, c)),
          )
          .map((e) => e.user),
      );
    return periodsMeeting(q.from, q.to, g).map((p) => {
      const cohort = did(q.initial, p);
      const values = keys.flatMap((key) => {
        const period = shifted(p.start, key, g);
        if (period.end >= this.today) return [];
        const back = did(q.return, period);
        const value = key === 0 ? cohort.size : [...cohort].filter((u) => back.has(u)).length;
        return [{ key, value, rate: ratio(value, cohort.size) }];
      });
      return { start: p.start, end: p.end, values };
    });
  }
}
