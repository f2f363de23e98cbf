/**
 * Typed navigation over the route registry (`routes.ts`):
 *
 *   navigate('booking', { qr: code });   // compiles
 *   navigate('booking', { qrcode: 1 });  // does not
 *   navigate('me');                      // tab page: switchTab
 *
 * A route marked `auth` opens the login page first when nobody is logged in, and login comes
 * back to it (`next`).
 */
import Taro from '@tarojs/taro';
import { routes, routeUrl, routeOfPath, type ParamsArg, type RouteName, type RouteParams } from './routes';
import { getSession } from './services/session';

type Mode = 'navigateTo' | 'redirectTo' | 'reLaunch';

async function open<N extends RouteName>(mode: Mode, name: N, args: ParamsArg<N>): Promise<void> {
  const spec = routes[name] as { path: string; tab?: boolean; auth?: boolean };
  if (spec.auth && !getSession()) {
    const next = routeUrl(name, ...args);
    await Taro.navigateTo({ url: routeUrl('login', { next }) });
    return;
  }
  if (spec.tab) {
    if (mode === 'reLaunch') await Taro.reLaunch({ url: spec.path });
    else await Taro.switchTab({ url: spec.path });
    return;
  }
  const url = routeUrl(name, ...args);
  if (mode === 'navigateTo') {
    // The page stack holds 10 pages (WeChat); past that, replace instead of failing.
    if (Taro.getCurrentPages().length >= 9) await Taro.redirectTo({ url });
    else await Taro.navigateTo({ url });
  } else if (mode === 'redirectTo') await Taro.redirectTo({ url });
  else await Taro.reLaunch({ url });
}

/** Opens a page on top of the current one (a tab page: switches to it). */
export function navigate<N extends RouteName>(name: N, ...params: ParamsArg<N>): Promise<void> {
  return open('navigateTo', name, params);
}

/** Replaces the current page. */
export function redirect<N extends RouteName>(name: N, ...params: ParamsArg<N>): Promise<void> {
  return open('redirectTo', name, params);
}

/** Closes every page and opens this one. */
export function relaunch<N extends RouteName>(name: N, ...params: ParamsArg<N>): Promise<void> {
  return open('reLaunch', name, params);
}

/** Opens a page URL produced by `routeUrl` (the login page's `next`); unknown URLs go home. */
export async function openUrl(url: string | undefined, mode: 'redirectTo' | 'reLaunch' = 'redirectTo'): Promise<void> {
  const name = url ? routeOfPath(url) : undefined;
  if (!url || !name) {
    await Taro.switchTab({ url: routes.home.path });
    return;
  }
  const spec = routes[name] as { tab?: boolean };
  if (spec.tab) await Taro.switchTab({ url: routes[name].path });
  else if (mode === 'reLaunch') await Taro.reLaunch({ url });
  else await Taro.redirectTo({ url });
}

/** Back if there is a page to go back to, else home. */
export async function back(): Promise<void> {
  if (Taro.getCurrentPages().length > 1) await Taro.navigateBack();
  else await Taro.switchTab({ url: routes.home.path });
}

/** Mini-programs hand page parameters over still URL-encoded; H5 decodes them. Decode once, safely. */
function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** The current page's parameters, typed by its route (URL-decoded strings). */
export function useRouteParams<N extends RouteName>(_name: N): Partial<Exclude<RouteParams[N], void>> {
  const params = Taro.useRouter().params as Record<string, string | undefined>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || k.startsWith('$taro')) continue;
    out[k] = safeDecode(v);
  }
  return out as Partial<Exclude<RouteParams[N], void>>;
}

/** The current page as a URL (`/pages/me/index?x=1`), for `login?next=`. */
export function currentPageUrl(): string | undefined {
  const router = Taro.getCurrentInstance().router;
  if (!router?.path) return undefined;
  const name = routeOfPath(router.path);
  if (!name) return undefined;
  const params = Object.entries(router.params ?? {})
    .filter(([k, v]) => v !== undefined && !k.startsWith('$taro'))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(safeDecode(String(v)))}`)
    .join('&');
  return params ? `${routes[name].path}?${params}` : routes[name].path;
}
