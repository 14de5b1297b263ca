/**
 * Shapes of the server's JSON answers, as the report routes (packages/server/src/reports) and the
 * account routes (packages/server/src/http/*-routes.ts) write them.
 * NOTE: mirrored by hand; they belong in @miniscope/contract once the server exports them there.
 */

export type MetricId =
  | 'visit_total'
  | 'session_cnt'
  | 'visit_pv'
  | 'visit_uv'
  | 'visit_uv_new'
  | 'stay_time_uv'
  | 'stay_time_session'
  | 'visit_depth'
  | 'share_pv'
  | 'share_uv'
  | 'bounce_rate';

export type MetricUnit = 'count' | 'seconds' | 'ratio' | 'pages';
export interface MetricMeta {
  id: MetricId;
  name: string;
  unit: MetricUnit;
}
export type MetricValues = Partial<Record<MetricId, number>>;

export interface Overview {
  app: string;
  date: string;
  metrics: MetricMeta[];
  values: MetricValues;
  compare: Record<'day' | 'week' | 'month', { date: string; values: MetricValues }>;
}

export type Granularity = 'day' | 'week' | 'month';

export interface Trend {
  from: string;
  to: string;
  granularity: Granularity | 'all';
  metrics: MetricMeta[];
  rows: Array<{ start: string; end: string; values: MetricValues }>;
}

export interface SourceItem {
  key: number;
  name: string;
  sessions: number;
  users: number;
  share: number;
}
export interface Sources {
  from: string;
  to: string;
  items: SourceItem[];
}
export interface Scenes {
  source: { key: number; name: string };
  items: Array<{ scene: number; name: string; sessions: number; users: number }>;
}

export interface BucketItem {
  key: number;
  label: string;
  sessions: number;
  users: number;
}
export interface Distribution {
  from: string;
  to: string;
  staytime: BucketItem[];
  depth: BucketItem[];
}

export interface RetentionCell {
  key: number;
  value: number;
  rate: number;
}
export interface Retention {
  granularity: Granularity;
  rows: Array<{ start: string; end: string; new: RetentionCell[]; active: RetentionCell[] }>;
}

export interface PageItem {
  page_path: string;
  page_visit_pv: number;
  page_visit_uv: number;
  page_staytime_pv: number;
  entrypage_pv: number;
  exitpage_pv: number;
  page_share_pv: number;
  page_share_uv: number;
  exit_rate: number;
  visit_share: number;
}
export type PageSort =
  | 'page_visit_pv'
  | 'page_visit_uv'
  | 'page_staytime_pv'
  | 'entrypage_pv'
  | 'exitpage_pv'
  | 'page_share_pv'
  | 'page_share_uv'
  | 'exit_rate';
export interface Pages {
  from: string;
  to: string;
  sort: PageSort;
  total_visit_pv: number;
  items: PageItem[];
}

/** One page per day (GET …/pages/trend); page figures without `visit_share`. */
export type PageFigures = Omit<PageItem, 'visit_share'>;
export interface PageTrend {
  from: string;
  to: string;
  path: string;
  total: PageFigures;
  days: Array<PageFigures & { day: string }>;
}

export interface RealtimePoint {
  minute: number;
  pv: number;
  uv: number;
  opens: number;
}
export interface Realtime {
  step: number;
  path: string | null;
  series: Array<{ day: string; points: RealtimePoint[] }>;
}

export type PortraitDimension = 'province' | 'city' | 'genders' | 'platforms' | 'devices' | 'ages';
export interface PortraitItem {
  id?: number;
  name: string;
  visit_uv_new: number;
  visit_uv: number;
  /** Device models: the raw model codes the display name stands for. */
  codes?: string[];
}
export type Portrait = { from: string; to: string } & Record<PortraitDimension, PortraitItem[]> & {
    /** Cities with the province their users were placed in (`city` sums them by name). */
    cities_by_province: Array<PortraitItem & { province: string }>;
  };

export interface UserView {
  wechat_id: string;
  display_name: string;
  is_admin: boolean;
}
/** The deployment's calendar: its time zone (IANA name) and today's date there (YYYY-MM-DD). */
export interface Calendar {
  time_zone: string;
  today: string;
}
export interface Me extends Calendar {
  user: UserView;
  csrf_token: string;
  unread_notifications: number;
}
export interface LoginAnswer extends Calendar {
  ok: true;
  user: UserView;
  csrf_token: string;
  /** Not sent by every server version; the session asks /api/auth/me when it is missing. */
  unread_notifications?: number;
}

export type AppRole = 'admin' | 'analyst' | 'viewer';
export interface AppSummary {
  appid: string;
  name: string;
  role: AppRole;
}
export interface MyApps {
  apps: AppSummary[];
  current: string | null;
}

export interface Grant {
  user_id: number;
  wechat_id: string;
  display_name: string;
  granted_at: number;
  granted_by: string | null;
}
export interface Grants {
  grants: Grant[];
  cap: number;
}

export interface MemberPerms {
  developer: boolean;
  tester: boolean;
  analyst: boolean;
}
export interface Member extends MemberPerms {
  user_id: number;
  wechat_id: string;
  display_name: string;
  added_at: number;
}
export interface Members {
  admin: UserView | null;
  members: Member[];
}

export interface Notice {
  id: number;
  kind: 'granted' | 'revoked';
  appid: string;
  message: string;
  created_at: number;
  read: boolean;
}
export interface Notices {
  notifications: Notice[];
  unread: number;
}

export interface NewApp {
  appid: string;
  name: string;
  secret: string;
}

/** GET /api/apps/:appid/ingest-status: the events stored for an app and when the last arrived. */
export interface IngestStatus {
  app: string;
  events: number;
  /** Epoch ms, or null before the first event. */
  last_received_at: number | null;
  /** The server's clock when it answered (epoch ms). */
  server_time: number;
}

/** GET /sdk/manifest.json: the SDK this server serves. */
export interface SdkManifest {
  name: string;
  version: string;
  /** Subresource Integrity of the single CommonJS file (sha384-…). */
  integrity: string | null;
  files: Record<
    string,
    { format: 'cjs' | 'esm'; url: string; versioned_url: string; bytes: number; gzip_bytes: number; integrity: string }
  >;
}
