import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { declaredPages, routeOfPath, routes, routeUrl, type RouteName } from './routes';

type AppConfig = {
  pages: string[];
  subPackages: { root: string; pages: string[] }[];
  tabBar: { list: { pagePath: string; text: string }[] };
};
let appConfig: AppConfig;

beforeAll(async () => {
  (globalThis as { defineAppConfig?: (c: unknown) => unknown }).defineAppConfig = (c) => c;
  appConfig = (await import('./app.config')).default as AppConfig;
});

describe('the route registry and app.config agree', () => {
  it('every route is a declared page, and every declared page is a route', () => {
    const declared = [
      ...appConfig.pages.map((p) => `/${p}`),
      ...appConfig.subPackages.flatMap((s) => s.pages.map((p) => `/${s.root}/${p}`)),
    ].sort();
    const registered = Object.values(routes)
      .map((r) => r.path as string)
      .sort();
    expect(declared).toEqual(registered);
  });

  it('every page has its component and page config on disk', () => {
    for (const r of Object.values(routes)) {
      const dir = resolve(import.meta.dirname, `.${r.path.replace(/\/index$/, '')}`);
      expect(existsSync(`${dir}/index.tsx`), `${r.path} index.tsx`).toBe(true);
      expect(existsSync(`${dir}/index.config.ts`), `${r.path} index.config.ts`).toBe(true);
    }
  });

  it('the tab bar is 首页 / 预约 / 报告 / 我的, all in the main package and marked tab in the registry', () => {
    expect(appConfig.tabBar.list.map((t) => t.text)).toEqual(['首页', '预约', '报告', '我的']);
    const tabRoutes = (Object.keys(routes) as RouteName[]).filter((n) => (routes[n] as { tab?: boolean }).tab);
    expect(appConfig.tabBar.list.map((t) => `/${t.pagePath}`)).toEqual(tabRoutes.map((n) => routes[n].path));
    for (const t of appConfig.tabBar.list) expect(appConfig.pages).toContain(t.pagePath);
  });

  it('the first screen stays small: only tabs, login, the QR landing page and 紧急求助 (never a download away) are in the main package', () => {
    expect(declaredPages().main).toEqual([
      'pages/index/index',
      'pages/emergency/index',
      'pages/appointments/index',
      'pages/reports/index',
      'pages/me/index',
      'pages/login/index',
      'pages/qr/index',
    ]);
    expect(appConfig.subPackages.map((s) => s.root).sort()).toEqual(
      ['packages/booking', 'packages/care', 'packages/carestaff', 'packages/devices', 'packages/dispatch', 'packages/identity', 'packages/payments', 'packages/privacy', 'packages/records', 'packages/staff', 'packages/visits'],
    );
  });
});

describe('routeUrl / routeOfPath', () => {
  it('encodes parameters and leaves out undefined ones', () => {
    expect(routeUrl('booking', { qr: 'a b&c' })).toBe('/packages/booking/pages/index/index?qr=a%20b%26c');
    expect(routeUrl('booking', {})).toBe('/packages/booking/pages/index/index');
    expect(routeUrl('booking')).toBe('/packages/booking/pages/index/index');
    expect(routeUrl('login', { next: routeUrl('booking', { qr: 'X1' }) })).toBe(
      `/pages/login/index?next=${encodeURIComponent('/packages/booking/pages/index/index?qr=X1')}`,
    );
  });

  it('finds the route of a page path with or without slash and query', () => {
    expect(routeOfPath('pages/me/index')).toBe('me');
    expect(routeOfPath('/packages/booking/pages/index/index?qr=1')).toBe('booking');
    expect(routeOfPath('/pages/nope/index')).toBeUndefined();
  });
});

describe('navigate', () => {
  beforeEach(async () => {
    (await import('../test/taro-shim')).resetShim();
  });

  it('switches tab for a tab page, navigates to others with their parameters', async () => {
    const { navigate } = await import('./navigation');
    const { navigations } = await import('../test/taro-shim');
    await navigate('me');
    await navigate('booking', { qr: 'ST01' });
    expect(navigations).toEqual([
      { api: 'switchTab', url: '/pages/me/index' },
      { api: 'navigateTo', url: '/packages/booking/pages/index/index?qr=ST01' },
    ]);
  });

  it('a page that needs a login opens login first, with the way back', async () => {
    const { navigate } = await import('./navigation');
    const { navigations } = await import('../test/taro-shim');
    await navigate('outpatientPayment');
    expect(navigations).toEqual([
      { api: 'navigateTo', url: routeUrl('login', { next: '/packages/payments/pages/outpatient/index' }) },
    ]);
  });
});

// Compile-time checks (npm run typecheck -w miniprogram).
export async function typeChecks() {
  const { navigate } = await import('./navigation');
  void navigate('home');
  void navigate('booking', { qr: 'x' });
  void navigate('booking');
  // @ts-expect-error a parameter the page does not take
  void navigate('booking', { qrcode: 'x' });
  // @ts-expect-error tab pages take no parameters
  void navigate('me', { tab: '1' });
  // @ts-expect-error parameters are strings
  void navigate('booking', { qr: 1 });
  // @ts-expect-error unknown page
  void navigate('nowhere');
}
