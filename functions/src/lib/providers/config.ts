/**
 * Provider configuration from environment variables. Real and sandbox differ only in these
 * values (base URLs and keys). Secret fields are non-enumerable, so logging or JSON-encoding
 * a config object never prints a key.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ProviderError } from './errors';

type Env = Record<string, string | undefined>;

export interface WechatLoginConfig {
  appId: string;
  apiBase: string;
  readonly appSecret: string;
  timeoutMs?: number;
}

export interface WechatPayConfig {
  appId: string;
  mchid: string;
  /** Merchant API certificate serial, sent as `serial_no`. */
  serialNo: string;
  /** Origin that stands in for https://api.mch.weixin.qq.com. */
  baseUrl: string;
  /** Keys that may sign responses and notifications, by Wechatpay-Serial (cert serial or PUB_KEY_ID_...). */
  trustedKeys: Record<string, string>;
  readonly privateKey: string;
  readonly apiV3Key: string;
  timeoutMs?: number;
}

export interface AlipayConfig {
  appId: string;
  gateway: string;
  /** Alipay's public key (SPKI PEM): verifies responses and notifications. Not secret. */
  alipayPublicKey: string;
  /** The app's private key, PKCS8 PEM (alipay-sdk keyType 'PKCS8'). */
  readonly privateKey: string;
  timeoutMs?: number;
}

function need(env: Env, name: string): string {
  const v = env[name]?.trim();
  if (!v) throw new ProviderError('CONFIG', `configuration ${name} is not set`);
  return v;
}

function optional(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

/** PEM from env: `\n` escapes allowed; bare base64 (as Alipay's console shows keys) allowed too. */
function keyInput(raw: string): { key: string | Buffer; der: boolean } {
  const text = raw.replace(/\\n/g, '\n').trim();
  return text.includes('-----BEGIN') ? { key: text, der: false } : { key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), der: true };
}

export function parsePrivateKey(raw: string, name: string): KeyObject {
  const { key, der } = keyInput(raw);
  try {
    if (!der) return createPrivateKey(key);
    try {
      return createPrivateKey({ key, format: 'der', type: 'pkcs8' });
    } catch {
      return createPrivateKey({ key, format: 'der', type: 'pkcs1' });
    }
  } catch {
    throw new ProviderError('CONFIG', `${name} is not a valid private key`);
  }
}

/** Accepts a public key or an X.509 certificate (a downloaded platform certificate works). */
export function parsePublicKey(raw: string, name: string): KeyObject {
  const { key, der } = keyInput(raw);
  try {
    return der ? createPublicKey({ key, format: 'der', type: 'spki' }) : createPublicKey(key);
  } catch {
    throw new ProviderError('CONFIG', `${name} is not a valid public key or certificate`);
  }
}

const pkcs8 = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();

function hideSecrets<T extends object>(target: T, secrets: Record<string, string>): T {
  for (const [k, value] of Object.entries(secrets)) Object.defineProperty(target, k, { value, enumerable: false });
  return target;
}

export function wechatLoginConfig(env: Env = process.env): WechatLoginConfig {
  const cfg = { appId: need(env, 'WECHAT_APP_ID'), apiBase: optional(env, 'WECHAT_API_BASE') ?? 'https://api.weixin.qq.com' };
  return hideSecrets(cfg, { appSecret: need(env, 'WECHAT_APP_SECRET') }) as WechatLoginConfig;
}

export function wechatPayConfig(env: Env = process.env): WechatPayConfig {
  const apiV3Key = need(env, 'WECHATPAY_APIV3_KEY');
  if (Buffer.byteLength(apiV3Key, 'utf8') !== 32) throw new ProviderError('CONFIG', 'WECHATPAY_APIV3_KEY must be 32 bytes');
  const trustedKeys: Record<string, string> = {};
  const platformSerial = optional(env, 'WECHATPAY_PLATFORM_SERIAL');
  const publicKeyId = optional(env, 'WECHATPAY_PUBLIC_KEY_ID');
  if (platformSerial) {
    trustedKeys[platformSerial] = spki(parsePublicKey(need(env, 'WECHATPAY_PLATFORM_PUBLIC_KEY'), 'WECHATPAY_PLATFORM_PUBLIC_KEY'));
  }
  if (publicKeyId) {
    // In public-key mode the key is the "WeChat Pay public key"; WECHATPAY_PUBLIC_KEY lets a
    // merchant migrating from certificates trust both keys at once.
    const name = optional(env, 'WECHATPAY_PUBLIC_KEY') ? 'WECHATPAY_PUBLIC_KEY' : 'WECHATPAY_PLATFORM_PUBLIC_KEY';
    trustedKeys[publicKeyId] = spki(parsePublicKey(need(env, name), name));
  }
  if (!platformSerial && !publicKeyId) {
    throw new ProviderError('CONFIG', 'set WECHATPAY_PLATFORM_SERIAL and/or WECHATPAY_PUBLIC_KEY_ID');
  }
  const cfg = {
    appId: need(env, 'WECHAT_APP_ID'),
    mchid: need(env, 'WECHATPAY_MCHID'),
    serialNo: need(env, 'WECHATPAY_SERIAL').toUpperCase(),
    baseUrl: (optional(env, 'WECHATPAY_BASE') ?? 'https://api.mch.weixin.qq.com').replace(/\/+$/, ''),
    trustedKeys,
  };
  const privateKey = pkcs8(parsePrivateKey(need(env, 'WECHATPAY_PRIVATE_KEY'), 'WECHATPAY_PRIVATE_KEY'));
  return hideSecrets(cfg, { privateKey, apiV3Key }) as WechatPayConfig;
}

export function alipayConfig(env: Env = process.env): AlipayConfig {
  const cfg = {
    appId: need(env, 'ALIPAY_APP_ID'),
    gateway: optional(env, 'ALIPAY_GATEWAY') ?? 'https://openapi.alipay.com/gateway.do',
    alipayPublicKey: spki(parsePublicKey(need(env, 'ALIPAY_PUBLIC_KEY'), 'ALIPAY_PUBLIC_KEY')),
  };
  const privateKey = pkcs8(parsePrivateKey(need(env, 'ALIPAY_PRIVATE_KEY'), 'ALIPAY_PRIVATE_KEY'));
  return hideSecrets(cfg, { privateKey }) as AlipayConfig;
}
