/**
 * An independent reading of docs/spec/metrics.md in plain TypeScript over the events a test
 * sent, sharing no code with the metrics engine: the cross-check compares the engine's figures
 * (through the datacube API) with these. The source-key table is read from the spec itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RefEvent {
  user: string;
  at: number;
  t: 'open' | 'pv' | 'leave' | 'share' | 'hide' | 'event';
  sid: string;
  path: string;
  scene: number;
  dur: number;
}

export interface RefUser {
  gender: number;
  birthYear: number;
  platform: string;
  model: string;
  province: string;
  city: string;
}

interface Open {
  user: string;
  day: string;
  scene: number;
  pvs: Array<{ at: number; path: string }>;
  stayMs: number;
  leaves: Array<{ path: string; dur: number }>;
  shares: Array<{ path: string }>;
}

const HOUR = 3_600_000;
/** The calendar day in Asia/Shanghai (UTC+8, no daylight saving). */
export const shanghaiDay = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 24 * HOUR).toISOString().slice(0, 10);

/** scene → source key, from the table in wechat-analytics.md §3.4 (key 10 is everything else). */
export function sceneKeysFromSpec(): Map<number, number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // NOTE: the table is read from the repository's copy of the spec itself, so that the reference
  // shares nothing with the engine's copy of it.
  const file = path.join(here, '../../../docs/spec/wechat-analytics.md');
  if (!fs.existsSync(file)) throw new Error(`The cross-check reads the scene table from ${file}, which is missing`);
  const spec = fs.readFileSync(file, 'utf8');
  const section = spec.slice(spec.indexOf('### 3.4'), spec.indexOf('## 4.'));
  const map = new Map<number, number>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const key = Number(cells[1]);
    if (!Number.isInteger(key) || key === 0) continue;
    for (const scene of (cells[3] ?? '').split(/\s+/)) if (/^\d{4}$/.test(scene)) map.set(Number(scene), key);
  }
  return map;
}

export class Reference {
  private readonly opens: Open[] = [];
  private readonly firstDay = new Map<string, string>();
  private readonly sceneKeys = sceneKeysFromSpec();

  constructor(
    events: RefEvent[],
    private readonly users: Map<string, RefUser>,
  ) {
    const bySid = new Map<string, RefEvent[]>();
    for (const e of events) bySid.set(e.sid, [...(bySid.get(e.sid) ?? []), e]);
    for (const list of bySid.values()) {
      list.sort((a, b) => a.at - b.at);
      const open = list.find((e) => e.t === 'open');
      const pvs = list.filter((e) => e.t === 'pv').map((e) => ({ at: e.at, path: e.path }));
      if (pvs.length === 0) continue; // an open counts only with a page view
      const leaves = list.filter((e) => e.t === 'leave').map((e) => ({ path: e.path, dur: e.dur }));
      this.opens.push({
        user: list[0]!.user,
        day: shanghaiDay(open ? open.at : list[0]!.at),
        scene: open?.scene ?? 0,
        pvs,
        leaves,
        stayMs: leaves.reduce((s, l) => s + l.dur, 0),
        shares: list.filter((e) => e.t === 'share').map((e) => ({ path: e.path })),
      });
    }
    for (const o of this.opens) {
      const seen = this.firstDay.get(o.user);
      if (!seen || o.day < seen) this.firstDay.set(o.user, o.day);
    }
  }

  private opensIn(from: string, to: string): Open[] {
    return this.opens.filter((o) => o.day >= from && o.day <= to);
  }

  private activeUsers(from: string, to: string): Set<string> {
    return new Set(this.opensIn(from, to).map((o) => o.user));
  }

  private newUsers(from: string, to: string): Set<string> {
    return new Set([...this.firstDay].filter(([, d]) => d >= from && d <= to).map(([u]) => u));
  }

  /** The trend figures of a day, week or month. */
  trend(from: string, to: string) {
    const opens = this.opensIn(from, to);
    const uv = this.activeUsers(from, to).size;
    const stay = opens.reduce((s, o) => s + o.stayMs, 0) / 1000;
    const depth = opens.reduce((s, o) => s + new Set(o.pvs.map((p) => p.path)).size, 0);
    const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
    return {
      session_cnt: opens.length,
      visit_pv: opens.reduce((s, o) => s + o.pvs.length, 0),
      visit_uv: uv,
      visit_uv_new: this.newUsers(from, to).size,
      stay_time_uv: div(stay, uv),
      stay_time_session: div(stay, opens.length),
      visit_depth: div(depth, opens.length),
    };
  }

  summary(day: string) {
    const opens = this.opensIn(day, day);
    return {
      visit_total: [...this.firstDay.values()].filter((d) => d <= day).length,
      share_pv: opens.reduce((s, o) => s + o.shares.length, 0),
      share_uv: new Set(opens.filter((o) => o.shares.length > 0).map((o) => o.user)).size,
    };
  }

  distribution(day: string) {
    const opens = this.opensIn(day, day);
    const count = (keyOf: (o: Open) => number) => {
      const m = new Map<number, number>();
      for (const o of opens) m.set(keyOf(o), (m.get(keyOf(o)) ?? 0) + 1);
      return m;
    };
    const sourceKey = (o: Open) => this.sceneKeys.get(o.scene) ?? 10;
    // Bucket n + 1 holds stays from the n-th bound on (in seconds): 1: s < 3, …, 8: s ≥ 101.
    const stayKey = (o: Open) => 1 + [3, 6, 11, 21, 31, 51, 101].filter((bound) => o.stayMs / 1000 >= bound).length;
    const depthKey = (o: Open) => {
      const d = new Set(o.pvs.map((p) => p.path)).size;
      return d <= 5 ? d : d <= 10 ? 6 : 7;
    };
    const sourceUsers = new Map<number, Set<string>>();
    for (const o of opens) sourceUsers.set(sourceKey(o), (sourceUsers.get(sourceKey(o)) ?? new Set()).add(o.user));
    return {
      access_source_session_cnt: count(sourceKey),
      access_source_visit_uv: new Map([...sourceUsers].map(([k, s]) => [k, s.size])),
      access_staytime_info: count(stayKey),
      access_depth_info: count(depthKey),
    };
  }

  pages(day: string) {
    const rows = new Map<
      string,
      {
        pv: number;
        users: Set<string>;
        stay: number;
        entry: number;
        exit: number;
        shares: number;
        sharers: Set<string>;
      }
    >();
    const row = (p: string) => {
      if (!rows.has(p))
        rows.set(p, { pv: 0, users: new Set(), stay: 0, entry: 0, exit: 0, shares: 0, sharers: new Set() });
      return rows.get(p)!;
    };
    for (const o of this.opensIn(day, day)) {
      for (const pv of o.pvs) {
        row(pv.path).pv++;
        row(pv.path).users.add(o.user);
      }
      for (const l of o.leaves) row(l.path).stay += l.dur;
      row(o.pvs[0]!.path).entry++;
      row(o.pvs[o.pvs.length - 1]!.path).exit++;
      for (const s of o.shares) {
        row(s.path).shares++;
        row(s.path).sharers.add(o.user);
      }
    }
    return new Map(
      [...rows].map(([p, r]) => [
        p,
        {
          page_visit_pv: r.pv,
          page_visit_uv: r.users.size,
          page_staytime_pv: r.pv === 0 ? 0 : r.stay / 1000 / r.pv,
          entrypage_pv: r.entry,
          exitpage_pv: r.exit,
          page_share_pv: r.shares,
          page_share_uv: r.sharers.size,
        },
      ]),
    );
  }

  /**
   * Retention of the cohort of `periods[0]` (key 0): key n → cohort members active in that period.
   * Periods not fully ended (their last day is today or later) are left out.
   */
  retention(periods: Array<{ key: number; from: string; to: string }>, today: string) {
    const { from, to } = periods[0]!;
    const cohorts = { visit_uv_new: this.newUsers(from, to), visit_uv: this.activeUsers(from, to) };
    const out: Record<'visit_uv_new' | 'visit_uv', Array<{ key: number; value: number }>> = {
      visit_uv_new: [],
      visit_uv: [],
    };
    for (const p of periods) {
      if (p.key > 0 && p.to >= today) continue;
      const active = this.activeUsers(p.from, p.to);
      for (const kind of ['visit_uv_new', 'visit_uv'] as const) {
        const value = p.key === 0 ? cohorts[kind].size : [...cohorts[kind]].filter((u) => active.has(u)).length;
        out[kind].push({ key: p.key, value });
      }
    }
    return out;
  }

  portrait(from: string, to: string) {
    const endYear = Number(to.slice(0, 4));
    const band = (by: number) => {
      if (by === 0) return 0;
      const age = endYear - by;
      return age <= 17 ? 1 : age <= 24 ? 2 : age <= 29 ? 3 : age <= 39 ? 4 : age <= 49 ? 5 : 6;
    };
    const platformId = (p: string) => (p === 'ios' ? 1 : p === 'android' ? 2 : 3);
    const tally = (users: Set<string>, pick: (u: RefUser) => string | number) => {
      const m = new Map<string, number>();
      for (const id of users) {
        const k = String(pick(this.users.get(id)!));
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      return m;
    };
    const dims = (users: Set<string>) => ({
      province: tally(users, (u) => u.province),
      city: tally(users, (u) => u.city),
      genders: tally(users, (u) => u.gender),
      platforms: tally(users, (u) => platformId(u.platform)),
      devices: tally(users, (u) => u.model || '未知'),
      ages: tally(users, (u) => band(u.birthYear)),
    });
    return { visit_uv_new: dims(this.newUsers(from, to)), visit_uv: dims(this.activeUsers(from, to)) };
  }
}
