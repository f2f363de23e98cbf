/**
 * 实名认证 with Tencent Cloud FaceID (人脸核身), API 3.0 through the official SDK's CommonClient:
 * DetectAuth starts the H5 face check, GetDetectInfoEnhanced reads its result. Real vs sandbox is
 * only the endpoint and keys. Also the Tencent Cloud plumbing shared with sms.ts (config, SDK
 * client options, error mapping). Names, ID numbers and keys are sent, never logged or put in errors.
 */
import { Agent } from 'node:http';
import { type ClientConfig, CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { ProviderError } from './errors';

type Env = Record<string, string | undefined>;
type Service = 'faceid' | 'sms';

export interface TencentCloudConfig {
  secretId: string;
  /** Non-enumerable: JSON.stringify / console.log of a config never shows it. */
  readonly secretKey: string;
  region: string;
  /** host[:port] for profile.httpProfile.endpoint; the SDK signs for the service its first label names. */
  endpoint: string;
  protocol: 'https://' | 'http://';
  timeoutMs: number;
}

export interface FaceIdConfig extends TencentCloudConfig {
  /** 业务场景 RuleId from the 人脸核身 console. */
  ruleId: string;
}

export function need(env: Env, name: string): string {
  const v = env[name]?.trim();
  if (!v) throw new ProviderError('CONFIG', `configuration ${name} is not set`);
  return v;
}

const isLocalhost = (hostname: string) => hostname === 'localhost' || hostname.endsWith('.localhost');

/**
 * `faceid.tencentcloudapi.com` (https) or `http://faceid.localhost:4003` (the sandbox). The SDK
 * builds `protocol + endpoint + '/'` and derives the signing service from `endpoint.split('.')[0]`,
 * so the value must be a bare host[:port] starting with the service: an IP address would be
 * signed for service "127" and refused.
 */
function parseEndpoint(raw: string, name: string, service: Service): Pick<TencentCloudConfig, 'endpoint' | 'protocol'> {
  const m = /^(?:(https?):\/\/)?([a-z0-9.-]+)(:\d{1,5})?\/?$/i.exec(raw.trim());
  const hostname = m?.[2].toLowerCase();
  if (!m || hostname!.split('.')[0] !== service) {
    throw new ProviderError('CONFIG', `${name} must be a host name starting with "${service}." (optionally http(s):// and a port)`, { provider: service });
  }
  const protocol = m[1]?.toLowerCase() === 'http' ? 'http://' : 'https://';
  // Plain http only to this machine: names, ID numbers and phones never cross a network unencrypted.
  if (protocol === 'http://' && !isLocalhost(hostname!)) {
    throw new ProviderError('CONFIG', `${name} may use http:// only for *.localhost`, { provider: service });
  }
  return { endpoint: `${hostname}${m[3] ?? ''}`, protocol };
}

export function tencentCloudConfig(env: Env, service: Service): TencentCloudConfig {
  const endpointVar = service === 'faceid' ? 'FACEID_ENDPOINT' : 'SMS_ENDPOINT';
  const timeoutMs = Number(env.TENCENTCLOUD_TIMEOUT_MS?.trim() || 5000);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ProviderError('CONFIG', 'TENCENTCLOUD_TIMEOUT_MS must be a positive number');
  const cfg = {
    secretId: need(env, 'TENCENTCLOUD_SECRET_ID'),
    region: env.TENCENTCLOUD_REGION?.trim() || 'ap-guangzhou',
    ...parseEndpoint(env[endpointVar]?.trim() || `${service}.tencentcloudapi.com`, endpointVar, service),
    timeoutMs,
  };
  Object.defineProperty(cfg, 'secretKey', { value: need(env, 'TENCENTCLOUD_SECRET_KEY'), enumerable: false });
  return cfg as TencentCloudConfig;
}

/** `*.localhost` is loopback by definition (RFC 6761), but not every resolver knows that. */
const loopback = new Agent({
  lookup: (_host, options, callback) =>
    options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4),
});

/** Options for any tencentcloud-sdk-nodejs client. */
export function tencentClientConfig(cfg: TencentCloudConfig): ClientConfig {
  const { secretId, secretKey } = cfg;
  const local = isLocalhost(cfg.endpoint.replace(/:\d+$/, ''));
  return {
    // A credential provider rather than {secretId, secretKey}: the SDK keeps this object on the
    // client, so the key stays in a closure, out of anything that serialises the client.
    credential: { getCredential: async () => ({ secretId, secretKey }) },
    region: cfg.region,
    profile: {
      httpProfile: {
        endpoint: cfg.endpoint,
        protocol: cfg.protocol,
        // Seconds; the SDK hands reqTimeout * 1000 to node-fetch's timeout.
        reqTimeout: cfg.timeoutMs / 1000,
        // An explicit agent also keeps a local call off any http_proxy the SDK would pick up.
        ...(local ? { agent: loopback } : {}),
      },
    },
  };
}

/** API 3.0 error codes look like `AuthFailure.SignatureFailure`; network errors carry none. */
const API_CODE = /^[A-Z][a-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)*$/;
const LABEL: Record<Service, string> = { faceid: 'FaceID', sms: 'SMS' };

/** The ProviderError for a failed call or a failure code (Tencent's message is left out: it can echo input). */
export function tencentFailure(service: Service, action: string, e: unknown): ProviderError {
  const err = (e ?? {}) as { code?: unknown; requestId?: unknown; httpCode?: unknown };
  const code = typeof err.code === 'string' && API_CODE.test(err.code) ? err.code : undefined;
  if (!code) {
    const status = typeof err.httpCode === 'number' ? err.httpCode : undefined;
    const why = status ? `HTTP ${status}` : 'network, timeout or malformed answer';
    return new ProviderError('UNAVAILABLE', `${LABEL[service]} ${action} failed (${why})`, { provider: service, ...(status ? { status } : {}) });
  }
  return rejection(service, action, code, typeof err.requestId === 'string' ? err.requestId : undefined);
}

export function rejection(service: Service, action: string, code: string, requestId?: string): ProviderError {
  const kind = code.startsWith('AuthFailure') ? 'CONFIG' : code.startsWith('InternalError') ? 'UNAVAILABLE' : 'REJECTED';
  const rid = requestId ? `, RequestId ${requestId}` : '';
  return new ProviderError(kind, `${LABEL[service]} ${action} refused (${code}${rid})`, { provider: service, providerCode: code });
}

export async function tencentCall<T>(service: Service, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw tencentFailure(service, action, e);
  }
}

// ---- FaceID ----

export type FaceResult =
  | { status: 'pass'; name: string; idNumber: string; extra?: string; requestId: string }
  | { status: 'fail' | 'pending' | 'expired'; errCode?: number; errMsg?: string; extra?: string; requestId?: string };

export interface FaceVerifier {
  /** DetectAuth: a BizToken and the URL of the verification page. */
  start(input: { name: string; idNumber: string; redirectUrl: string; extra: string }): Promise<{ bizToken: string; url: string; requestId: string }>;
  /** GetDetectInfoEnhanced (InfoType '0' is fine): the result for this BizToken. */
  result(bizToken: string): Promise<FaceResult>;
}

export function faceIdConfig(env: Env = process.env): FaceIdConfig {
  const cfg = tencentCloudConfig(env, 'faceid') as FaceIdConfig;
  cfg.ruleId = need(env, 'FACEID_RULE_ID');
  return cfg;
}

const VERSION = '2018-03-01';
/** Text.ErrCode values that are not a verdict (Plus 版返回码): 15 Token 过期, 17 本次流程未完成. */
const ERR_TOKEN_EXPIRED = 15;
const ERR_NOT_FINISHED = 17;

interface DetectText { ErrCode?: number | null; ErrMsg?: string | null; Name?: string | null; IdCard?: string | null; Extra?: string | null }

export function faceVerifier(env: Env = process.env): FaceVerifier {
  const cfg = faceIdConfig(env);
  const client = new CommonClient(cfg.endpoint, VERSION, tencentClientConfig(cfg));

  return {
    async start({ name, idNumber, redirectUrl, extra }) {
      const r = await tencentCall('faceid', 'DetectAuth', () =>
        client.request('DetectAuth', { RuleId: cfg.ruleId, Name: name, IdCard: idNumber, RedirectUrl: redirectUrl, Extra: extra }),
      );
      if (typeof r?.BizToken !== 'string' || typeof r.Url !== 'string') throw tencentFailure('faceid', 'DetectAuth', undefined);
      return { bizToken: r.BizToken, url: r.Url, requestId: String(r.RequestId ?? '') };
    },

    async result(bizToken) {
      let r: { Text?: DetectText | null; RequestId?: string };
      try {
        // InfoType '1' (text only): '0' would also pull the best frame and the video, megabytes of
        // face images we neither need nor want to hold.
        r = await client.request('GetDetectInfoEnhanced', { BizToken: bizToken, RuleId: cfg.ruleId, InfoType: '1' });
      } catch (e) {
        const f = tencentFailure('faceid', 'GetDetectInfoEnhanced', e);
        // The verification window (7200 s) or the 3-day result window is over.
        if (f.providerCode === 'InvalidParameterValue.BizTokenExpired') {
          const requestId = (e as { requestId?: string }).requestId;
          return { status: 'expired', ...(requestId ? { requestId } : {}) };
        }
        throw f;
      }
      const t = r?.Text ?? {};
      const requestId = String(r?.RequestId ?? '');
      const extra = typeof t.Extra === 'string' ? { extra: t.Extra } : {};
      const code = t.ErrCode;
      if (code === 0) {
        if (!t.Name || !t.IdCard) throw tencentFailure('faceid', 'GetDetectInfoEnhanced', undefined);
        return { status: 'pass', name: t.Name, idNumber: t.IdCard, ...extra, requestId };
      }
      const detail = { ...(typeof code === 'number' ? { errCode: code } : {}), ...(t.ErrMsg ? { errMsg: t.ErrMsg } : {}), ...extra, requestId };
      if (code === null || code === undefined || code === ERR_NOT_FINISHED) return { status: 'pending', ...detail };
      if (code === ERR_TOKEN_EXPIRED) return { status: 'expired', ...detail };
      return { status: 'fail', ...detail };
    },
  };
}
