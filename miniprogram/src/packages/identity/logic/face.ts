/**
 * 人脸识别 (Tencent FaceID) round trip. `startFace` gives a `bizToken` and the provider's H5 page;
 * the page is left (H5: same window, back through `redirectUrl` with `BizToken=` in the query;
 * WeChat/Alipay: a <web-view> page, back with 返回) and `confirmFace` asks the server for the
 * result. The token is kept in storage meanwhile, so a reload or a killed mini-program still
 * finds it; it is dropped once the server has answered for good.
 */
import Taro from '@tarojs/taro';
import { routeUrl } from '../../../routes';

export interface PendingFace {
  patientId: string;
  bizToken: string;
  /** The provider's page (the web-view opens it). */
  url: string;
  expiresAt: string;
}

/** Key-value storage (Taro storage in the app, a Map in tests). */
export interface KeyValue {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

/** Taro storage (localStorage on H5, so the token outlives the trip to the provider's page). */
export const appStorage: KeyValue = {
  get: (key) => {
    try {
      return Taro.getStorageSync(key);
    } catch {
      return undefined;
    }
  },
  set: (key, value) => {
    try {
      Taro.setStorageSync(key, value);
    } catch {
      // Storage full or unavailable: the page state still holds the token for this visit.
    }
  },
  remove: (key) => {
    try {
      Taro.removeStorageSync(key);
    } catch {
      // nothing to forget
    }
  },
};

const KEY = 'identity:face';

function isPending(v: unknown): v is PendingFace {
  const p = v as PendingFace | null;
  return !!p && typeof p.patientId === 'string' && typeof p.bizToken === 'string' && typeof p.url === 'string' && typeof p.expiresAt === 'string';
}

export function savePendingFace(store: KeyValue, p: PendingFace): void {
  store.set(KEY, p);
}

/** The FaceID session started for this person, unless it has expired (then it is dropped). */
export function pendingFace(store: KeyValue, patientId: string, now: number): PendingFace | null {
  const p = store.get(KEY);
  if (!isPending(p)) return null;
  if (Date.parse(p.expiresAt) <= now) {
    store.remove(KEY);
    return null;
  }
  return p.patientId === patientId ? p : null;
}

export function clearPendingFace(store: KeyValue): void {
  store.remove(KEY);
}

/**
 * The token to confirm: the one the provider put in the return URL (H5), else the one kept when
 * the page was left (mini-programs, or a provider that did not append it).
 */
export function tokenToConfirm(params: { BizToken?: string; bizToken?: string }, pending: PendingFace | null): string | undefined {
  const fromUrl = (params.BizToken ?? params.bizToken ?? '').trim();
  if (/^[\w-]{8,128}$/.test(fromUrl)) return fromUrl;
  return pending?.bizToken;
}

/** The app page FaceID sends the browser back to (the platform makes it absolute under the H5 origin). */
export function faceReturnPath(patientId: string): string {
  return routeUrl('verifyPerson', { patientId });
}
