/**
 * Acting on a `LaunchTarget` (see `launch.ts`): remember the code, work out which page it opens,
 * open it. Used by the qr page, the app's launch/show hooks and the home page's 扫一扫 button.
 */
import Taro from '@tarojs/taro';
import { resolveLaunch, type LaunchQuery, type LaunchTarget } from './launch';
import { redirect, navigate } from './navigation';
import type { ParamsArg, RouteName } from './routes';
import type { AppointmentView, QrView } from '@hospital/shared';
import { api, call } from './services/api';
import { getSession } from './services/session';

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
 * The page a printed code's target opens (#3 item 2): an entrance (hospital, community centre or
 * station) → its departments, a department → its doctors, a doctor's door → their sessions.
 * Kiosk and ward-bed codes open the qrTarget page, which says what those codes will do.
 */
export function destinationOf(view: Pick<QrView, 'code' | 'target'>, kioskCode?: string): Destination {
  const t = view.target;
  switch (t.kind) {
    case 'org':
    case 'station':
      return { name: 'bookingDepartments', params: [{ orgId: t.orgId }] };
    case 'department':
      return { name: 'bookingDoctors', params: [{ deptId: t.deptId }] };
    case 'doctor':
      return { name: 'bookingSchedules', params: [{ doctorId: t.doctorId }] };
    case 'kiosk':
      // The kiosk's on-screen QR carries its one-time code: the page opens with it filled in.
      return { name: 'kiosk', params: [{ kioskId: t.kioskId, ...(kioskCode ? { code: kioskCode } : {}) }] };
    default:
      return { name: 'qrTarget', params: [{ code: view.code }] };
  }
}

/** What the app needs to know to open a code; the real ones call the API. */
export interface QrLookups {
  resolve(code: string): Promise<Pick<QrView, 'code' | 'target'>>;
  /** The account's active appointments, or null when nobody is logged in. */
  myActive(): Promise<AppointmentView[] | null>;
}

const apiLookups: QrLookups = {
  resolve: (code) => call(api.qr.resolve, { params: { code } }),
  myActive: async () => (getSession() ? (await call(api.booking.mine, { query: { filter: 'active' } })).items : null),
};

/**
 * A department's or doctor's code scanned on the day of one's appointment there is a check-in
 * (签到): open that appointment with the code, instead of the booking pages.
 */
export function checkInDestination(view: Pick<QrView, 'code' | 'target'>, mine: readonly AppointmentView[]): Destination | null {
  const t = view.target;
  if (t.kind !== 'department' && t.kind !== 'doctor') return null;
  const here = mine.find(
    (a) => (a.canCheckIn || a.status === 'checked_in') && (t.kind === 'department' ? a.department.id === t.deptId : a.doctor.id === t.doctorId),
  );
  return here ? { name: 'appointmentDetail', params: [{ appointmentId: here.id, qr: view.code }] } : null;
}

/**
 * Resolves the code with `GET /v1/qr/{code}` and returns the page its target names. When the
 * code cannot be resolved (offline, unknown, withdrawn) the qrTarget page says why and retries.
 */
export async function qrDestination(target: LaunchTarget, lookups: QrLookups = apiLookups): Promise<Destination> {
  let view: Pick<QrView, 'code' | 'target'>;
  try {
    view = await lookups.resolve(target.code);
  } catch {
    return { name: 'qrTarget', params: [{ code: target.code }] };
  }
  if (view.target.kind === 'department' || view.target.kind === 'doctor') {
    // Not knowing one's appointments (offline, logged out) just means the booking pages open.
    const mine = await lookups.myActive().catch(() => null);
    const checkIn = mine && checkInDestination(view, mine);
    if (checkIn) return checkIn;
  }
  return destinationOf(view, target.kioskCode);
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
