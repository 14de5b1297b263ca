/**
 * Who is logged in and which mini program they are looking at. The session itself is an HttpOnly
 * cookie the page never sees; what is kept here is the user, the CSRF token for state-changing
 * requests, the apps the user may see (with their role) and the current one, remembered by the
 * server (`PUT /api/me/current-app`) so the next login opens it again.
 */
import type { AppSummary, SessionStarted, UserView } from '@miniscope/contract';
import { computed, reactive } from 'vue';
import { auth, me } from '@/api/accounts';
import { ApiError, setCsrfToken } from '@/api/client';
import { setCalendar } from '@/state/clock';

interface SessionState {
  /** undefined: not asked yet; null: not logged in. */
  user: UserView | null | undefined;
  unread: number;
  apps: AppSummary[];
  appsLoaded: boolean;
  current: string | null;
}

export const session = reactive<SessionState>({
  user: undefined,
  unread: 0,
  apps: [],
  appsLoaded: false,
  current: null,
});

export const currentApp = computed(() => session.apps.find((a) => a.appid === session.current) ?? null);

/** Ask the server who is logged in (once; later calls reuse the answer). */
export async function loadMe(force = false): Promise<UserView | null> {
  if (session.user !== undefined && !force) return session.user;
  try {
    const answer = await auth.me();
    setCsrfToken(answer.csrf_token);
    setCalendar(answer.time_zone, answer.today);
    session.user = answer.user;
    session.unread = answer.unread_notifications;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    forget();
  }
  return session.user ?? null;
}

/**
 * A session begins: the user, the CSRF token, the calendar, and the unread count for the bell,
 * asked at once (the login answer does not carry it, and `loadMe` is skipped once a user is set,
 * so the bell would otherwise stay empty until a reload).
 */
function started(answer: SessionStarted): void {
  setCsrfToken(answer.csrf_token);
  setCalendar(answer.time_zone, answer.today);
  session.user = answer.user;
  session.appsLoaded = false;
  session.unread = 0;
  void loadMe(true).catch(() => undefined);
}

export async function login(wechatId: string, password: string): Promise<void> {
  started(await auth.login({ wechat_id: wechatId, password }));
}

export async function setup(token: string, wechatId: string, name: string, password: string): Promise<void> {
  started(await auth.setup({ setup_token: token, wechat_id: wechatId, display_name: name, password }));
}

/** Drop everything known about the session (after logout, or when the server says it ended). */
export function forget(): void {
  session.user = null;
  session.apps = [];
  session.appsLoaded = false;
  session.current = null;
  session.unread = 0;
  setCsrfToken('');
}

export async function logout(): Promise<void> {
  try {
    await auth.logout();
  } finally {
    forget();
  }
}

export async function loadApps(force = false): Promise<AppSummary[]> {
  if (session.appsLoaded && !force) return session.apps;
  const mine = await me.apps();
  session.apps = mine.apps;
  session.current = mine.current;
  session.appsLoaded = true;
  return mine.apps;
}

/** Make `appid` the current app (remembered by the server for the next login). */
export async function switchApp(appid: string): Promise<void> {
  if (session.current === appid) return;
  session.current = appid;
  await me.setCurrentApp(appid);
}
