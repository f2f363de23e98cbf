/**
 * QR codes and launch options: ONE function turns whatever the host hands us into a target.
 *
 * A printed code is a normal https URL, `${H5_ORIGIN}/qr?c=<code>`. The same picture reaches us
 * three ways:
 *   - H5: the phone camera opens the URL; the qr page gets `{ c: '<code>' }`;
 *   - WeChat ("扫普通链接二维码打开小程序"): launch/page query `{ q: encodeURIComponent(url) }`;
 *   - Alipay ("关联普通二维码"): launch query `{ qrCode: url }`;
 * plus the in-app 扫一扫 button, whose raw scanned text is passed as `{ scan: text }`.
 *
 * Pure: no Taro import, so it is unit-tested directly. `launch-handler.ts` acts on the result.
 */

export type LaunchSource = 'h5' | 'wechat' | 'alipay' | 'scan';

export interface LaunchTarget {
  kind: 'qr';
  /** The printed code, e.g. `st-taishan-01`. */
  code: string;
  source: LaunchSource;
  /** The full URL when we received one (WeChat, Alipay, scan). */
  url?: string;
  /**
   * The one-time code a kiosk's on-screen QR carries (`&k=123456`, next to the digits it shows):
   * the kiosk page opens with the code filled in. Printed codes never have one.
   */
  kioskCode?: string;
}

/** Launch options' / page's query: values may be missing, arrays or anything else. */
export type LaunchQuery = Readonly<Record<string, unknown>> | null | undefined;

export interface ResolveOptions {
  /**
   * Origins a code URL may come from (`https://m.hospital.cn`). When given, a URL from another
   * origin is ignored; WeChat and Alipay already only open us for registered prefixes, but
   * the in-app scanner reads any code.
   */
  origins?: readonly string[];
}

/** Codes are short ids: letters, digits, `-` and `_`. Anything else is not ours. */
export const QR_CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const first = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined;
};

const safeDecode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

const validCode = (c: string | undefined): string | undefined => (c && QR_CODE_PATTERN.test(c) ? c : undefined);
const validKioskCode = (k: string | undefined): string | undefined => (k && /^\d{6}$/.test(k) ? k : undefined);

/** `https://host/qr?c=X` (raw, or URL-encoded once or twice; `&k=` a kiosk's one-time code) → `{ code, url, kioskCode? }`; else undefined. */
export function codeFromUrl(raw: string, options: ResolveOptions = {}): { code: string; url: string; kioskCode?: string } | undefined {
  let url = raw.trim();
  // WeChat encodes the URL once; tolerate a second encoding from a proxy or a share link.
  for (let i = 0; i < 3 && /^https?%(25)*3A/i.test(url); i++) {
    const decoded = safeDecode(url);
    if (!decoded) return undefined;
    url = decoded;
  }
  const m = /^(https?):\/\/([^/?#\s]+)([^?#\s]*)(\?[^#\s]*)?(#.*)?$/i.exec(url);
  if (!m) return undefined;
  const origin = `${m[1].toLowerCase()}://${m[2].toLowerCase()}`;
  if (options.origins && !options.origins.some((o) => o.replace(/\/+$/, '').toLowerCase() === origin)) {
    return undefined;
  }
  const path = m[3].replace(/\/+$/, '');
  if (!/(^|\/)qr$/.test(path)) return undefined;
  const query = (m[4] ?? '').slice(1);
  const pairs = query.split('&').map((pair) => pair.split('='));
  const value = (name: string) => {
    const v = pairs.find(([k]) => k === name)?.[1];
    return v === undefined ? undefined : safeDecode(v.replace(/\+/g, ' '));
  };
  if (!pairs.some(([k]) => k === 'c')) return undefined;
  const code = validCode(value('c'));
  if (!code) return undefined;
  const kioskCode = validKioskCode(value('k'));
  return kioskCode ? { code, url, kioskCode } : { code, url };
}

/**
 * What a launch, a page query or a scan asks for: a QR target, or null when there is nothing
 * usable (no code, a foreign URL, a malformed code). Never throws.
 */
export function resolveLaunch(query: LaunchQuery, options: ResolveOptions = {}): LaunchTarget | null {
  if (!query || typeof query !== 'object') return null;

  const direct = first(query.c);
  if (direct !== undefined) {
    const code = validCode(safeDecode(direct));
    const k = first(query.k);
    const kioskCode = validKioskCode(k === undefined ? undefined : safeDecode(k));
    return code ? { kind: 'qr', code, source: 'h5', ...(kioskCode ? { kioskCode } : {}) } : null;
  }

  const sources: [key: string, source: LaunchSource][] = [
    ['q', 'wechat'],
    ['qrCode', 'alipay'],
    ['scan', 'scan'],
  ];
  for (const [key, source] of sources) {
    const raw = first(query[key]);
    if (raw === undefined) continue;
    const found = codeFromUrl(raw, options);
    return found ? { kind: 'qr', code: found.code, url: found.url, source, ...(found.kioskCode ? { kioskCode: found.kioskCode } : {}) } : null;
  }
  return null;
}
