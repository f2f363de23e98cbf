/**
 * The HTTP client plugged into wechatpay-node-v3 through `pay.createHttp()`. The library
 * hard-codes https://api.mch.weixin.qq.com and never verifies responses; this client sends to
 * the configured base URL and refuses any response whose Wechatpay-Signature does not verify.
 */
import { ProviderError } from './errors';
import { verifyWechatpaySignature } from './wechatpay-notify';

export const WECHATPAY_HOST = 'https://api.mch.weixin.qq.com';

/** What wechatpay-node-v3 expects back from its http service (its `Output`). */
export interface PayOutput {
  status: number;
  data?: unknown;
  error?: unknown;
}

export interface PayRequestService {
  post(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<PayOutput>;
  get(url: string, headers: Record<string, string>): Promise<PayOutput>;
  upload(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<PayOutput>;
}

export interface VerifyingHttpOptions {
  baseUrl: string;
  trustedKeys: Record<string, string>;
  timeoutMs?: number;
}

/** Bill files are the one unsigned answer; the caller checks them against the signed hash_value. */
const UNSIGNED_PATHS = ['/v3/billdownload/'];

export function verifyingHttp(opts: VerifyingHttpOptions): PayRequestService {
  const rewrite = (url: string) => {
    if (!url.startsWith(WECHATPAY_HOST)) throw new ProviderError('CONFIG', 'unexpected WeChat Pay URL', { provider: 'wechatpay' });
    return { target: opts.baseUrl + url.slice(WECHATPAY_HOST.length), path: new URL(url).pathname };
  };

  const request = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string): Promise<PayOutput> => {
    const { target, path } = rewrite(url);
    let res: Response;
    let text: string;
    try {
      // Ask for identity encoding: the signature covers the body we read, whatever the transport.
      res = await fetch(target, {
        method, body, headers: { ...headers, 'Accept-Encoding': 'identity' }, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      text = await res.text();
    } catch {
      throw new ProviderError('UNAVAILABLE', `WeChat Pay ${method} ${path} failed (network or timeout)`, { provider: 'wechatpay' });
    }
    if (!UNSIGNED_PATHS.some((p) => path.startsWith(p)) || res.status !== 200) {
      verifyWechatpaySignature({ headers: res.headers, rawBody: text }, opts.trustedKeys, (reason) =>
        new ProviderError('BAD_RESPONSE_SIGNATURE', `WeChat Pay response to ${method} ${path} rejected: ${reason}`, {
          provider: 'wechatpay', status: res.status,
        }));
    }
    let data: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        data = JSON.parse(text);
      } catch {
        throw new ProviderError('UNAVAILABLE', `WeChat Pay ${method} ${path} returned malformed JSON`, { provider: 'wechatpay', status: res.status });
      }
    }
    return res.ok ? { status: res.status, data } : { status: res.status, error: data, data };
  };

  return {
    // The library signed JSON.stringify(params); sending the same string keeps the signature valid.
    post: (url, params, headers) => request('POST', url, headers, JSON.stringify(params)),
    get: (url, headers) => request('GET', url, headers),
    upload: async () => {
      throw new ProviderError('CONFIG', 'uploads are not used', { provider: 'wechatpay' });
    },
  };
}
