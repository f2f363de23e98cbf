/**
 * Every page of the app, by name, with the parameters it takes. `navigate('booking', { qr })`
 * in `navigation.ts` only compiles with the parameters declared here; a page reads them with
 * `useRouteParams('booking')`. `app.config.ts` must declare exactly these pages (a unit test
 * checks it). This module has no Taro import, so tests and app.config can use it.
 */

/** Where a page lives and how it is opened. */
export interface RouteSpec {
  /** Absolute page path as mini-programs and the H5 router know it. */
  readonly path: `/${string}`;
  /** A tab page: opened with switchTab, takes no parameters. */
  readonly tab?: boolean;
  /** Needs a logged-in person: `navigate` goes to login first and comes back. */
  readonly auth?: boolean;
}

export const routes = {
  // Main package: the tab pages, login and the QR landing page.
  home: { path: '/pages/index/index', tab: true },
  appointments: { path: '/pages/appointments/index', tab: true },
  reports: { path: '/pages/reports/index', tab: true },
  me: { path: '/pages/me/index', tab: true },
  login: { path: '/pages/login/index' },
  qr: { path: '/pages/qr/index' },

  // Subpackages: everything off the first screen.
  booking: { path: '/packages/booking/pages/index/index' },
  outpatientPayment: { path: '/packages/payments/pages/outpatient/index', auth: true },
  inpatientDeposit: { path: '/packages/payments/pages/deposit/index', auth: true },
  reportQuery: { path: '/packages/records/pages/reports/index', auth: true },
  healthRecord: { path: '/packages/records/pages/summary/index', auth: true },
  videoVisit: { path: '/packages/visits/pages/index/index', auth: true },
  // A call for help must never wait on a login screen; the emergency issue decides what it needs.
  emergency: { path: '/packages/emergency/pages/index/index' },
  staff: { path: '/packages/staff/pages/index/index', auth: true },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;

/**
 * Parameters of each page. `void`: none. Values travel in the URL query, so they are strings.
 */
export interface RouteParams {
  home: void;
  appointments: void;
  reports: void;
  me: void;
  /** `next`: the page URL to open after logging in (from `routeUrl`). */
  login: { next?: string };
  /** How a printed code arrives: `c` on H5 (`/qr?c=`), `q` from WeChat, `qrCode` from Alipay. */
  qr: { c?: string; q?: string; qrCode?: string };
  /** `qr`: the scanned code the booking flow starts from (resolved by the booking issue). */
  booking: { qr?: string };
  outpatientPayment: void;
  inpatientDeposit: void;
  reportQuery: void;
  healthRecord: void;
  videoVisit: void;
  emergency: void;
  staff: void;
}

// Every route has a params entry and vice versa.
type _Exact = [RouteName] extends [keyof RouteParams] ? ([keyof RouteParams] extends [RouteName] ? true : never) : never;
const _exact: _Exact = true;
void _exact;

/** Tab pages take no parameters: switchTab drops them. */
type _TabsTakeNone = {
  [N in RouteName]: (typeof routes)[N] extends { tab: true } ? (RouteParams[N] extends void ? true : never) : true;
}[RouteName];
const _tabs: _TabsTakeNone = true;
void _tabs;

/** `[]` for a page without parameters, `[params?]` when all are optional, else `[params]`. */
export type ParamsArg<N extends RouteName> = RouteParams[N] extends void
  ? []
  : {} extends RouteParams[N]
    ? [params?: RouteParams[N]]
    : [params: RouteParams[N]];

/** `/packages/booking/pages/index/index?qr=ABC`; undefined parameters are left out. */
export function routeUrl<N extends RouteName>(name: N, ...args: ParamsArg<N>): string {
  const params = (args[0] ?? {}) as Record<string, string | undefined>;
  const query = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const { path } = routes[name];
  return query ? `${path}?${query}` : path;
}

/** The route a page path belongs to (`pages/me/index` or `/pages/me/index?x=1`). */
export function routeOfPath(pathOrUrl: string): RouteName | undefined {
  const path = `/${pathOrUrl.split('?')[0].replace(/^\/+/, '')}`;
  return (Object.keys(routes) as RouteName[]).find((n) => routes[n].path === path);
}

/** Page paths relative to the app root, grouped the way app.config declares them. */
export function declaredPages(): { main: string[]; subPackages: { root: string; pages: string[] }[] } {
  const main: string[] = [];
  const subs = new Map<string, string[]>();
  for (const spec of Object.values(routes) as RouteSpec[]) {
    const rel = spec.path.slice(1);
    const m = /^(packages\/[^/]+)\/(.+)$/.exec(rel);
    if (m) subs.set(m[1], [...(subs.get(m[1]) ?? []), m[2]]);
    else main.push(rel);
  }
  return { main, subPackages: [...subs].map(([root, pages]) => ({ root, pages })) };
}
