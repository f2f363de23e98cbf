/**
 * The app's one SOS outbox (Taro storage, the API client) and the helpers the emergency pages
 * share. The outbox outlives the page: a request still being retried keeps going while the
 * person looks elsewhere, and resumes when the app is opened again.
 */
import Taro from '@tarojs/taro';
import { api, type CallerEmergencyView, type CreateEmergencyRequest } from '@hospital/shared';
import { platform } from '../../platform';
import { call, describeError, isApiError } from '../../services/api';
import { uuid } from '../../services/client';
import { getSession } from '../../services/session';
import { deviceSecret } from './device';
import { createOutbox, type CurrentSos, type KeyValue, type PendingSos } from './outbox';

/** The platform adapter's storage (a request that cannot be stored still lives in memory for this run). */
const storage: KeyValue = {
  get: (k) => platform.storage.get(k),
  set: (k, v) => void platform.storage.set(k, v),
  remove: (k) => platform.storage.remove(k),
};

/** This phone's SOS device secret (made on first use, kept in the adapter's storage). */
export const sosDevice = () => deviceSecret(storage);

/** A press carries the device secret, so its retries are the same request and its token works only here. */
export const withDevice = (body: CreateEmergencyRequest): CreateEmergencyRequest => ({ ...body, device: sosDevice() });

/** The session's access token, refreshed first when it is about to expire (a known caller stays known). */
export async function freshAccessToken(): Promise<string | undefined> {
  const s = getSession();
  if (!s) return undefined;
  if (Date.parse(s.expiresAt) - Date.now() < 60_000) {
    // Any role route refreshes an expired token once; a failure leaves us anonymous, never stuck.
    await Promise.race([call(api.auth.me).catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
  }
  return getSession()?.accessToken;
}

async function send(p: PendingSos) {
  const bearer = p.bearer ? await freshAccessToken() : undefined;
  return call(api.emergency.create, { body: p.body, idempotencyKey: p.idempotencyKey, bearer });
}

/** 400/404/403: the content is wrong and retrying cannot fix it. Everything else is retried. */
function refusal(e: unknown) {
  if (!isApiError(e)) return undefined;
  if (e.kind === 'invalid-input' || (e.kind === 'http' && [400, 403, 404, 413, 422].includes(e.status))) {
    return { message: describeError(e), fields: e.fields.map((f) => ({ path: f.path, message: f.message })) };
  }
  return undefined;
}

export const sosOutbox = createOutbox({
  store: storage,
  send,
  refusal,
  needsNewKey: (e) => isApiError(e) && e.code === 'IDEMPOTENCY_KEY_REUSED',
  describe: describeError,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
  newKey: uuid,
});

export function readEmergency(cur: CurrentSos): Promise<CallerEmergencyView> {
  return call(api.emergency.get, { params: { emergencyId: cur.id }, bearer: cur.accessToken, deviceSecret: sosDevice() });
}

/** 120 in one tap; where the host cannot dial, say so plainly. */
export function call120(): void {
  Taro.makePhoneCall({ phoneNumber: '120' }).catch(() => {
    void Taro.showModal({ title: '请直接拨打 120', content: '无法自动拨号，请用手机直接拨打急救电话 120。', showCancel: false, confirmText: '知道了' });
  });
}

/** `14:05` in Beijing time. */
export function clock(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
