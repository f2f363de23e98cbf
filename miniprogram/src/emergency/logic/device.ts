/**
 * The SOS device secret: made once on this phone and kept in its storage (the platform adapter's
 * storage: wx/my storage, localStorage on H5). It goes with every press (in the body) and every
 * later read or change of the request (`X-Device-Secret`): the capability token the server returns
 * works only together with it, so a token copied elsewhere, or an Idempotency-Key replayed from
 * another phone, opens nothing. No Taro here: storage and randomness are injected (tests pass fakes).
 */
import type { KeyValue } from './outbox';

export const DEVICE_KEY = 'hospital.emergency.device.v1';

const valid = (v: unknown): v is string => typeof v === 'string' && /^[\w-]{22,128}$/.test(v);

/** 32 characters (192 bits) from the host's CSPRNG where there is one (browsers), else Math.random (mini-programs have no synchronous one). */
export function randomSecret(): string {
  const c = globalThis.crypto as Crypto | undefined;
  const bytes = new Uint8Array(32);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return `sos-${Array.from(bytes, (b) => abc[b & 63]).join('')}`;
}

/** This phone's secret: the stored one, or a new one stored now (kept for this run if storing fails). */
export function deviceSecret(store: KeyValue, make: () => string = randomSecret): string {
  const stored = store.get(DEVICE_KEY);
  if (valid(stored)) return stored;
  const fresh = make();
  store.set(DEVICE_KEY, fresh);
  return fresh;
}
