/** Payments settings from the environment (serverless.yml; locally scripts/lib/stack.ts). */
import { config, secret } from '#lib/config';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export const paymentsConfig = {
  /**
   * Where the providers call us back: API Gateway's public origin in AWS; locally the
   * serverless-offline port the sandboxes can reach.
   */
  get publicApiBase() {
    return (process.env.PUBLIC_API_BASE || process.env.API_BASE || 'http://127.0.0.1:3000').replace(/\/+$/, '');
  },
  get wechatNotifyUrl() { return `${this.publicApiBase}/v1/payments/notify/wechat`; },
  get alipayNotifyUrl() { return `${this.publicApiBase}/v1/payments/notify/alipay`; },
  /** How long a payer has to pay (bills, deposits); an appointment order ends with its hold. */
  get orderTtlSeconds() { return num('PAYMENT_ORDER_TTL_SECONDS', 15 * 60); },
  /** A pending order older than this is asked about by the sweep (lost notifications). */
  get sweepAfterSeconds() { return num('PAYMENT_SWEEP_AFTER_SECONDS', 120); },
  /** Alipay merchant (seller_id 2088…): when set, notifications for another merchant are refused. */
  get alipaySellerId() { return process.env.ALIPAY_SELLER_ID?.trim() || undefined; },
  /** The H5 app's page a sandbox checkout returns to, `{orderNo}` filled in. */
  get h5ResultPath() { return process.env.PAYMENT_RESULT_PATH || '/packages/payments/pages/result/index?orderNo={orderNo}'; },
};

/**
 * The organisation holding the merchant accounts (WeChat Pay, Alipay) whose trade bills are
 * reconciled: only its cashiers and admins read or run the daily reconciliation, which covers
 * every hospital's payments through those accounts. `PAYMENT_MERCHANT_ORG`, default the city
 * hospital that runs the Internet hospital.
 */
export const merchantOrg = () => process.env.PAYMENT_MERCHANT_ORG || 'org-city-hospital';

/**
 * HIS sources allowed to push, `source=orgId` pairs: `HIS_SOURCES=city-his=org-city-hospital`.
 * Each source posts only for its own hospital.
 */
export function hisSources(): Map<string, string> {
  const raw = process.env.HIS_SOURCES ?? (config.isLocal ? 'city-his=org-city-hospital' : '');
  const out = new Map<string, string>();
  for (const pair of raw.split(',')) {
    const [source, orgId] = pair.split('=').map((s) => s?.trim());
    if (source && orgId) out.set(source, orgId);
  }
  return out;
}

const envName = (source: string) => `HIS_SECRET_${source.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/**
 * A source's active secrets (comma-separated: old and new during a rotation). Env first, then
 * SSM `his/<source>`. A local stage without one uses a fixed development secret, documented in
 * the README, so a developer can sign pushes by hand; deployed stages never do.
 */
export async function hisSecrets(source: string): Promise<string[] | undefined> {
  if (!hisSources().has(source)) return undefined;
  const name = envName(source);
  let value: string;
  if (process.env[name]) value = process.env[name] as string;
  else if (config.isLocal) value = `local-his-secret-${source}`;
  else value = await secret(name, `his/${source}`);
  const list = value.split(',').map((s) => s.trim()).filter((s) => s.length >= 16);
  return list.length ? list : undefined;
}
