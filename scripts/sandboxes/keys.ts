/**
 * Key material for the local WeChat / Alipay sandboxes: real RSA-2048 pairs, generated once
 * per folder and kept in one JSON file (mode 0600) so a restart keeps the same identities.
 */
import { generateKeyPair, randomBytes, randomInt } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const generateRsa = promisify(generateKeyPair);

export interface WechatSandboxKeys {
  appId: string;
  appSecret: string;
  mchid: string;
  /** Serial of the merchant API certificate; requests carry it as `serial_no`. */
  merchantSerial: string;
  merchantPrivateKey: string;
  merchantPublicKey: string;
  /** Platform-certificate mode: responses and notifications carry this serial. */
  platformSerial: string;
  /** WeChat Pay public-key mode: the same platform key under a `PUB_KEY_ID_...` id. */
  publicKeyId: string;
  platformPrivateKey: string;
  platformPublicKey: string;
  /** APIv3 key: 32 ASCII characters, the AES-256-GCM key for notifications. */
  apiV3Key: string;
}

export interface AlipaySandboxKeys {
  appId: string;
  /** The merchant's Alipay account (seller_id, 2088...). */
  sellerId: string;
  appPrivateKey: string;
  appPublicKey: string;
  /** "Alipay public key" in the console; the sandbox signs with the private half. */
  alipayPrivateKey: string;
  alipayPublicKey: string;
}

export interface SandboxKeys {
  version: 1;
  wechat: WechatSandboxKeys;
  alipay: AlipaySandboxKeys;
}

const FILE = 'sandbox-keys.json';

async function rsaPair(): Promise<{ privateKey: string; publicKey: string }> {
  // PKCS8 private keys: what OpenSSL 3 emits and what alipay-sdk wants with keyType 'PKCS8'.
  return generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n: number) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join('');

export async function generateSandboxKeys(): Promise<SandboxKeys> {
  const [merchant, platform, app, alipay] = await Promise.all([rsaPair(), rsaPair(), rsaPair(), rsaPair()]);
  return {
    version: 1,
    wechat: {
      appId: `wx${hex(8)}`,
      appSecret: hex(16),
      mchid: `19${digits(8)}`,
      merchantSerial: hex(20).toUpperCase(),
      merchantPrivateKey: merchant.privateKey,
      merchantPublicKey: merchant.publicKey,
      platformSerial: hex(20).toUpperCase(),
      publicKeyId: `PUB_KEY_ID_01${digits(30)}`,
      platformPrivateKey: platform.privateKey,
      platformPublicKey: platform.publicKey,
      apiV3Key: alnum(32),
    },
    alipay: {
      appId: `2021${digits(12)}`,
      sellerId: `2088${digits(12)}`,
      appPrivateKey: app.privateKey,
      appPublicKey: app.publicKey,
      alipayPrivateKey: alipay.privateKey,
      alipayPublicKey: alipay.publicKey,
    },
  };
}

/**
 * Loads the keys in `dir`, creating them on first use. Creation is atomic (write a temp file,
 * then hard-link it into place, which fails if another process won the race), so two
 * concurrent starts never end up holding different keys.
 */
export async function ensureSandboxKeys(dir = '.data/keys'): Promise<SandboxKeys> {
  const file = join(dir, FILE);
  const existing = await readKeys(file);
  if (existing) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys = await generateSandboxKeys();
  const tmp = `${file}.${process.pid}.${hex(4)}.tmp`;
  await writeFile(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  const stored = await readKeys(file);
  if (!stored) throw new Error(`sandbox keys could not be read back from ${file}`);
  return stored;
}

async function readKeys(file: string): Promise<SandboxKeys | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as SandboxKeys;
  if (parsed.version !== 1 || !parsed.wechat?.platformPrivateKey || !parsed.alipay?.alipayPrivateKey) {
    throw new Error(`${file} is not a sandbox key file (delete it to regenerate)`);
  }
  return parsed;
}

/** One-line PEM for env files and YAML; config.ts turns `\n` back into newlines. */
const inline = (pem: string) => pem.trim().replace(/\r?\n/g, '\\n');

export interface SandboxEnvOptions {
  /** Origin of the WeChat sandbox; it serves both api.weixin.qq.com and api.mch.weixin.qq.com paths. */
  wechatBase: string;
  /** Full gateway URL of the Alipay sandbox, e.g. http://127.0.0.1:4020/gateway.do */
  alipayGateway: string;
  /** Which WeChat Pay verification ids the functions trust. Default: both. */
  wechatPayKeyMode?: 'certificate' | 'publicKey' | 'both';
}

/** The environment variables our functions read (see functions/src/lib/providers/config.ts). */
export function sandboxProviderEnv(keys: SandboxKeys, opts: SandboxEnvOptions): Record<string, string> {
  const { wechat, alipay } = keys;
  const mode = opts.wechatPayKeyMode ?? 'both';
  const env: Record<string, string> = {
    WECHAT_APP_ID: wechat.appId,
    WECHAT_APP_SECRET: wechat.appSecret,
    WECHAT_API_BASE: opts.wechatBase,
    WECHATPAY_MCHID: wechat.mchid,
    WECHATPAY_SERIAL: wechat.merchantSerial,
    WECHATPAY_PRIVATE_KEY: inline(wechat.merchantPrivateKey),
    WECHATPAY_APIV3_KEY: wechat.apiV3Key,
    WECHATPAY_PLATFORM_PUBLIC_KEY: inline(wechat.platformPublicKey),
    WECHATPAY_BASE: opts.wechatBase,
    ALIPAY_APP_ID: alipay.appId,
    ALIPAY_PRIVATE_KEY: inline(alipay.appPrivateKey),
    ALIPAY_PUBLIC_KEY: inline(alipay.alipayPublicKey),
    ALIPAY_GATEWAY: opts.alipayGateway,
  };
  if (mode !== 'publicKey') env.WECHATPAY_PLATFORM_SERIAL = wechat.platformSerial;
  if (mode !== 'certificate') env.WECHATPAY_PUBLIC_KEY_ID = wechat.publicKeyId;
  return env;
}
