/**
 * Screens and their addresses (history mode; the server answers every non-API path with the app).
 * Guards: a screen needs a logged-in user unless `meta.public`; an app's screens need the app to be
 * among the user's apps; 授权 and 成员 need its admin. Screens are loaded on demand, so the first
 * screen carries only what it shows.
 */
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router';
import type { MessageKey } from '@/i18n';
import { loadApps, loadMe, session, switchApp } from '@/state/session';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    adminOnly?: boolean;
    /** A sub-screen: the header shows this title and a back arrow instead of the menu. */
    title?: MessageKey;
  }
}

const appChildren: RouteRecordRaw[] = [
  { path: '', redirect: (to) => ({ name: 'overview', params: to.params }) },
  { path: 'overview', name: 'overview', component: () => import('@/views/OverviewView.vue') },
  { path: 'visits', redirect: (to) => ({ name: 'visits', params: { ...to.params, tab: 'trend' } }) },
  {
    path: 'visits/:tab(trend|sources|retention|duration|pages)',
    name: 'visits',
    component: () => import('@/views/VisitsView.vue'),
  },
  {
    path: 'page',
    name: 'page',
    component: () => import('@/views/visits/PageTrendView.vue'),
    meta: { title: 'pages.trend' },
  },
  { path: 'custom', redirect: (to) => ({ name: 'custom', params: { ...to.params, tab: 'events' } }) },
  {
    path: 'custom/:tab(events|funnel|paths|retention)',
    name: 'custom',
    component: () => import('@/views/CustomView.vue'),
  },
  {
    path: 'custom/defs',
    name: 'custom-defs',
    component: () => import('@/views/custom/EventDefsView.vue'),
    meta: { title: 'custom.defs' },
  },
  {
    path: 'custom/defs/:event',
    name: 'custom-def',
    component: () => import('@/views/custom/EventDefView.vue'),
    meta: { title: 'custom.def' },
  },
  {
    path: 'custom/saved',
    name: 'custom-saved',
    component: () => import('@/views/custom/SavedReportsView.vue'),
    meta: { title: 'custom.saved' },
  },
  { path: 'realtime', name: 'realtime', component: () => import('@/views/RealtimeView.vue') },
  { path: 'portrait', name: 'portrait', component: () => import('@/views/PortraitView.vue') },
  {
    path: 'guide',
    name: 'guide',
    component: () => import('@/views/GuideView.vue'),
    meta: { title: 'guide.title' },
  },
  {
    path: 'authorize',
    name: 'authorize',
    component: () => import('@/views/admin/AuthorizeView.vue'),
    meta: { adminOnly: true, title: 'authorize.title' },
  },
  {
    path: 'members',
    name: 'members',
    component: () => import('@/views/admin/MembersView.vue'),
    meta: { adminOnly: true, title: 'members.title' },
  },
];

async function home() {
  if (!(await loadMe())) return { name: 'login' };
  await loadApps();
  return session.current ? { name: 'overview', params: { appid: session.current } } : { name: 'apps' };
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
  { path: '/setup', name: 'setup', component: () => import('@/views/SetupView.vue'), meta: { public: true } },
  { path: '/apps', name: 'apps', component: () => import('@/views/AppsView.vue') },
  { path: '/notifications', name: 'notifications', component: () => import('@/views/NotificationsView.vue') },
  { path: '/account', name: 'account', component: () => import('@/views/AccountView.vue') },
  { path: '/app/:appid', component: () => import('@/views/AppShell.vue'), children: appChildren },
  // A returning user lands on the app they looked at last; a first open shows the list.
  { path: '/', name: 'home', component: () => import('@/views/AppsView.vue'), beforeEnter: home },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
];

export const router = createRouter({ history: createWebHistory(), routes });

async function guard(to: RouteLocationNormalized) {
  if (to.meta.public) return true;
  const user = await loadMe();
  if (!user) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  const appid = to.params.appid;
  if (typeof appid !== 'string') return true;
  const apps = await loadApps();
  const app = apps.find((a) => a.appid === appid);
  if (!app) return { name: 'apps', query: { denied: appid } };
  if (to.meta.adminOnly && app.role !== 'admin') return { name: 'overview', params: { appid } };
  if (session.current !== appid) await switchApp(appid);
  return true;
}

router.beforeEach(guard);
