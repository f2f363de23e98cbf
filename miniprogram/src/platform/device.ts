/**
 * Location and sockets through Taro, which offers both on WeChat, Alipay and H5. The adapters
 * pick the datum (and Alipay's socket option); pages only see `platform`.
 */
import Taro from '@tarojs/taro';
import { PlatformError, type DeviceLocation, type LiveSocket } from './types';

const LOCATION_TIMEOUT_MS = 15_000;

function denied(err: unknown): boolean {
  const e = err as { errMsg?: string; errorMessage?: string; error?: number; code?: number } | undefined;
  const msg = `${e?.errMsg ?? ''} ${e?.errorMessage ?? ''}`;
  // WeChat "auth deny"/"authorize no response"; Alipay error 11/2001; browsers PERMISSION_DENIED (1).
  return /deny|denied|auth|permission/i.test(msg) || e?.error === 11 || e?.error === 2001 || e?.code === 1;
}

export async function taroLocation(type: 'gcj02' | 'wgs84'): Promise<DeviceLocation> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const res = await Promise.race([
      Taro.getLocation({ type, isHighAccuracy: true, highAccuracyExpireTime: 10_000 }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject({ errMsg: 'getLocation:fail timeout' }), LOCATION_TIMEOUT_MS);
      }),
    ]);
    const r = res as unknown as { latitude: number; longitude: number; accuracy?: number; horizontalAccuracy?: number };
    if (!Number.isFinite(r.latitude) || !Number.isFinite(r.longitude)) throw new PlatformError('定位结果无效，请重试');
    return { lat: r.latitude, lng: r.longitude, accuracy: Math.round(r.accuracy ?? r.horizontalAccuracy ?? 0), coordSystem: type };
  } catch (err) {
    if (err instanceof PlatformError) throw err;
    throw new PlatformError(denied(err) ? '未获得定位权限，请在设置中允许定位，或直接填写您的位置' : '暂时无法定位，请到开阔处重试，或直接填写您的位置', err);
  } finally {
    clearTimeout(timer);
  }
}

export async function openTaroSocket(url: string, extra: Record<string, unknown> = {}): Promise<LiveSocket> {
  const task = await Taro.connectSocket({ url, ...extra } as Parameters<typeof Taro.connectSocket>[0]);
  let closed = false;
  const closers: (() => void)[] = [];
  const gone = () => {
    if (closed) return;
    closed = true;
    closers.forEach((c) => c());
  };
  task.onClose(gone);
  task.onError(gone);
  return {
    send: (text) => {
      try {
        // H5 returns a promise that rejects on a closed socket; mini-programs return nothing.
        Promise.resolve(task.send({ data: text }) as unknown).catch(() => undefined);
      } catch {
        /* a send on a closing socket: the next poll catches up */
      }
    },
    close: () => {
      try {
        void task.close({});
      } catch {
        /* already closed */
      }
      gone();
    },
    onOpen: (cb) => task.onOpen(() => cb()),
    onMessage: (cb) => task.onMessage((m: { data: unknown }) => typeof m.data === 'string' && cb(m.data)),
    onClose: (cb) => void closers.push(cb),
  };
}

export function vibrate(): void {
  Taro.vibrateLong().catch(() => undefined);
}

/** Mini-programs cannot open arbitrary web pages: the link is copied for a browser. */
export function copyLink(url: string): void {
  Taro.setClipboardData({ data: url })
    .then(() => Taro.showToast({ title: '链接已复制，请在浏览器打开', icon: 'none' }))
    .catch(() => undefined);
}

/** Mini-programs cannot compose an SMS: the text is copied for the person to paste into one. */
export async function copySms(to: string, body: string): Promise<'copied' | 'unsupported'> {
  try {
    await Taro.setClipboardData({ data: body });
    await Taro.showModal({ title: `请发短信到 ${to}`, content: `求助短信已复制：${body}`, showCancel: false, confirmText: '知道了' });
    return 'copied';
  } catch {
    return 'unsupported';
  }
}

/** wx/my.getBatteryInfo (level 0–100 there). */
export async function miniBattery(): Promise<{ level: number; charging: boolean } | undefined> {
  try {
    const r = (await Taro.getBatteryInfo()) as { level: number | string; isCharging: boolean };
    const level = Number(r.level);
    return Number.isFinite(level) ? { level: level / 100, charging: !!r.isCharging } : undefined;
  } catch {
    return undefined;
  }
}
