/**
 * Our own WeChat Pay v3 signature and notification verification. wechatpay-node-v3 has no
 * public-key (PUB_KEY_ID_) mode, no replay window and never checks the GCM tag, so this is
 * the one place that decides whether something really came from WeChat Pay.
 */
import { createDecipheriv, createVerify } from 'node:crypto';
import { ProviderError } from './errors';

/** WeChat's documented tolerance between its timestamp and ours. */
export const MAX_SKEW_SECONDS = 300;

export type HeaderBag = Record<string, string | string[] | undefined> | Headers;

export function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

export interface SignedMessage {
  headers: HeaderBag;
  /** The body exactly as received: re-serialised JSON would not verify. */
  rawBody: string;
  /** Epoch milliseconds; defaults to Date.now(). */
  now?: number;
}

/**
 * Checks Wechatpay-Signature over `timestamp\nnonce\nbody\n` with the key chosen by
 * Wechatpay-Serial, and the ±300 s window. Returns the timestamp and nonce (for replay stores).
 * `reason` in the error says which check failed; it never contains key material.
 */
export function verifyWechatpaySignature(
  msg: SignedMessage,
  trustedKeys: Record<string, string>,
  fail: (reason: string) => ProviderError,
): { timestamp: number; nonce: string; serial: string } {
  const timestamp = header(msg.headers, 'Wechatpay-Timestamp');
  const nonce = header(msg.headers, 'Wechatpay-Nonce');
  const signature = header(msg.headers, 'Wechatpay-Signature');
  const serial = header(msg.headers, 'Wechatpay-Serial');
  if (!timestamp || !nonce || !signature || !serial) throw fail('missing Wechatpay-* signature headers');
  if (header(msg.headers, 'Wechatpay-Signature-Type') === 'WECHATPAY2-SIGN-TEST') throw fail('signature probe');
  // Own property only: a serial like "__proto__" must not find a key.
  const key = Object.hasOwn(trustedKeys, serial) ? trustedKeys[serial] : undefined;
  if (!key) throw fail('unknown Wechatpay-Serial');
  const ts = Number(timestamp);
  const now = (msg.now ?? Date.now()) / 1000;
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - ts) > MAX_SKEW_SECONDS) throw fail('timestamp outside the 300 s window');
  const ok = createVerify('RSA-SHA256').update(`${timestamp}\n${nonce}\n${msg.rawBody}\n`, 'utf8').verify(key, signature, 'base64');
  if (!ok) throw fail('signature does not verify');
  return { timestamp: ts, nonce, serial };
}

export interface WechatNotification<T = Record<string, unknown>> {
  id: string;
  createTime: string;
  eventType: string;
  summary: string;
  /** The decrypted resource (a transaction for TRANSACTION.*, a refund for REFUND.*). */
  resource: T;
  originalType: string;
  /** Signature timestamp and nonce, for a replay store keyed on the nonce. */
  timestamp: number;
  nonce: string;
}

export interface NotificationKeys {
  trustedKeys: Record<string, string>;
  apiV3Key: string;
}

/** AES-256-GCM under the APIv3 key; the last 16 bytes of the ciphertext are the auth tag. */
export function decryptResource(apiV3Key: string, r: { ciphertext: string; nonce: string; associated_data?: string }): string {
  const data = Buffer.from(r.ciphertext, 'base64');
  if (data.length <= 16 || Buffer.byteLength(r.nonce) !== 12) throw new Error('malformed resource');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'));
  // final() throws when the tag does not match: the check wechatpay-node-v3 skips.
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

/** Verifies and decrypts a WeChat Pay v3 notification; throws ProviderError('BAD_NOTIFICATION'). */
export function verifyWechatNotification<T = Record<string, unknown>>(keys: NotificationKeys, msg: SignedMessage): WechatNotification<T> {
  const fail = (reason: string) => new ProviderError('BAD_NOTIFICATION', `wechatpay notification rejected: ${reason}`, { provider: 'wechatpay' });
  const { timestamp, nonce } = verifyWechatpaySignature(msg, keys.trustedKeys, fail);
  let body: {
    id?: unknown; create_time?: unknown; event_type?: unknown; summary?: unknown; resource_type?: unknown;
    resource?: { algorithm?: unknown; ciphertext?: unknown; nonce?: unknown; associated_data?: unknown; original_type?: unknown };
  };
  try {
    body = JSON.parse(msg.rawBody);
  } catch {
    throw fail('body is not JSON');
  }
  const r = body.resource;
  if (typeof body.id !== 'string' || typeof body.event_type !== 'string' || !r || typeof r.ciphertext !== 'string' || typeof r.nonce !== 'string') {
    throw fail('body is not a notification');
  }
  if (r.algorithm !== 'AEAD_AES_256_GCM') throw fail('unsupported resource algorithm');
  let plain: string;
  try {
    plain = decryptResource(keys.apiV3Key, {
      ciphertext: r.ciphertext, nonce: r.nonce, associated_data: typeof r.associated_data === 'string' ? r.associated_data : '',
    });
  } catch {
    throw fail('resource does not decrypt (GCM tag mismatch)');
  }
  let resource: T;
  try {
    resource = JSON.parse(plain) as T;
  } catch {
    throw fail('resource is not JSON');
  }
  return {
    id: body.id,
    createTime: String(body.create_time ?? ''),
    eventType: body.event_type,
    summary: String(body.summary ?? ''),
    resource,
    originalType: String(r.original_type ?? ''),
    timestamp,
    nonce,
  };
}
