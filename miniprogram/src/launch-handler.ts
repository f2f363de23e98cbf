/**
 * Acting on a `LaunchTarget` (see `launch.ts`): remember the code, work out which page it opens,
 * open it. Used by the qr page, the app's launch/show hooks and the home page's 扫一扫 button.
 */
import Taro from '@tarojs/taro';
import { resolveLaunch, type LaunchQuery, type LaunchTarget } from './launch';
import { redirect, navigate } from './navigation';
import type { ParamsArg, RouteName } from './routes';

/** A page and its parameters, typed by the route registry. */
export type Destination = { [N in RouteName]: { name: N; params: ParamsArg<N> } }[RouteName];

const LAST_QR_KEY = 'hospital.lastQr.v1';

/** Codes from our own origin only (the printed `${H5_ORIGIN}/qr?c=` URLs). */
export const resolveOurLaunch = (query: LaunchQuery) => resolveLaunch(query, { origins: [H5_ORIGIN] });

export interface RememberedQr {
  code: string;
  source: LaunchTarget['source'];
  /** ISO time it was scanned. */
  at: string;
}

/** Keeps the last scanned code: later pages (booking, check-in) read where the person is. */
export function rememberQr(target: LaunchTarget): void {
  const value: RememberedQr = { code: target.code, source: target.source, at: new Date().toISOString() };
  try {
    Taro.setStorageSync(LAST_QR_KEY, value);
  } catch {
    // Not remembering is harmless: the code also travels as a page parameter.
  }
}

export function lastQr(): RememberedQr | null {
  try {
    const v = Taro.getStorageSync(LAST_QR_KEY) as RememberedQr | '';
    return v && typeof v === 'object' && typeof v.code === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * EXTENSION POINT (booking issue, #3 item 2): resolve the code with `GET /v1/qr/{code}` and
 * return the page its target names (org / station / department / doctor / kiosk / ward bed).
 * Until that route exists every code opens the booking entry with the code attached.
 */
export async function qrDestination(target: LaunchTarget): Promise<Destination> {
  return { name: 'booking', params: [{ qr: target.code }] };
}

// A code from the app's launch/show options, waiting for the first page to be ready.
let pending: LaunchTarget | null = null;
let lastHandled: { code: string; at: number } | null = null;

/** Remember the code and open its page (replacing the qr landing page, or on top of home). */
export async function openLaunchTarget(target: LaunchTarget, mode: 'redirect' | 'navigate'): Promise<void> {
  lastHandled = { code: target.code, at: Date.now() };
  rememberQr(target);
  const dest = await qrDestination(target);
  const go = mode === 'redirect' ? redirect : navigate;
  await (go as (name: RouteName, ...params: unknown[]) => Promise<void>)(dest.name, ...dest.params);
}

/**
 * Called from the app's launch and show hooks. Launches that land on the qr page are handled
 * there; anything else (WeChat configured to open another page, a hot start) waits here.
 */
export function noteLaunch(options: { path?: string; query?: LaunchQuery } | undefined): void {
  if (!options?.query || (options.path ?? '').replace(/^\//, '').startsWith('pages/qr/')) return;
  // Only the hosts' keys: a bare `c` is the H5 /qr page's own parameter, handled by that page.
  const { q, qrCode } = options.query as { q?: unknown; qrCode?: unknown };
  const target = resolveOurLaunch({ q, qrCode });
  if (target) pending = target;
}

/** The pending launch code, once (the home page calls this when shown). */
export function takePendingLaunch(): LaunchTarget | null {
  const t = pending;
  pending = null;
  if (!t) return null;
  // WeChat may deliver the same launch to onLaunch and onShow: act on a code once per 3 s.
  const now = Date.now();
  if (lastHandled && lastHandled.code === t.code && now - lastHandled.at < 3000) return null;
  lastHandled = { code: t.code, at: now };
  return t;
}
