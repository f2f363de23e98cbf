/**
 * Alipay OpenAPI 2.0 trade APIs on alipay-sdk 4.14.0. Every call passes
 * `validateSign: true` (the SDK accepts forged responses otherwise) and an explicit Beijing
 * timestamp (the SDK stamps process-local time, and Lambda runs in UTC).
 */
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import type { AlipayConfig } from './config';
import { ProviderError } from './errors';
import { isZip, unzip } from './zip';

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, whatever the process TZ. */
export const beijingTime = (d: Date = new Date()) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

export const fenToYuan = (fen: number) => {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError('amount must be a non-negative integer of fen');
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
};

export function yuanToFen(yuan: string | number | undefined): number {
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(String(yuan ?? ''));
  if (!m) throw new ProviderError('UNAVAILABLE', 'Alipay returned a malformed amount', { provider: 'alipay' });
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function createAlipaySdk(config: AlipayConfig): AlipaySdk {
  return new AlipaySdk({
    appId: config.appId,
    privateKey: config.privateKey,
    keyType: 'PKCS8',
    alipayPublicKey: config.alipayPublicKey,
    gateway: config.gateway,
    timeout: config.timeoutMs ?? 10_000,
    camelcase: false,
  });
}

/** One signed, verified call. Business failures (code ≠ 10000) are returned, not thrown. */
export async function alipayExec(sdk: AlipaySdk, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  try {
    return (await sdk.exec(method, { ...params, timestamp: beijingTime() }, { validateSign: true })) as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof AlipayRequestError)) throw err;
    const signedError = verifiedErrorResponse(sdk, err.responseDataRaw);
    if (signedError) return signedError;
    if (err.message.includes('验签失败')) {
      throw new ProviderError('BAD_RESPONSE_SIGNATURE', `Alipay response to ${method} failed signature verification`, { provider: 'alipay' });
    }
    throw new ProviderError('UNAVAILABLE', `Alipay ${method} failed: ${err.responseHttpStatus ?? 'network'}`, { provider: 'alipay' });
  }
}

/**
 * Alipay answers some failures (e.g. an invalid auth code) with a signed `error_response`,
 * which alipay-sdk 4.14 cannot verify (it looks for `<method>_response`). Verify it ourselves
 * with the SDK's own primitives; unsigned or forged ones are not trusted.
 */
function verifiedErrorResponse(sdk: AlipaySdk, raw: string | undefined): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  let parsed: { error_response?: Record<string, unknown>; sign?: string };
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!parsed.error_response || typeof parsed.sign !== 'string') return undefined;
  return sdk.rsaCheck(sdk.getSignStr(raw, 'error_response'), parsed.sign, 'RSA2') ? parsed.error_response : undefined;
}

export interface AlipayTrade {
  tradeNo: string;
  outTradeNo: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
  totalFen: number;
  buyerPayFen?: number;
  paidAt?: string;
  buyerId?: string;
}

export interface AlipayRefundResult {
  tradeNo: string;
  /** false when this out_request_no had already been refunded (an idempotent repeat). */
  fundChange: boolean;
  /** Total refunded on the trade so far, in fen. */
  refundedFen: number;
  /** gmt_refund_pay (Beijing `yyyy-MM-dd HH:mm:ss`): when the refund was paid out, for reconciliation. */
  refundedAt?: string;
}

export interface AlipayNotification {
  notifyId: string;
  notifyType: string;
  appId: string;
  sellerId: string;
  outTradeNo: string;
  tradeNo: string;
  tradeStatus: string;
  totalFen: number;
  /** Present on refund notifications: cumulative refunded amount and the out_request_no. */
  refundFeeFen?: number;
  outBizNo?: string;
  fields: Record<string, string>;
}

export interface AlipayClient {
  readonly appId: string;
  /** For the mini-program's my.tradePay({ tradeNO }). `buyerId` is a 2088… user_id or an open_id. */
  tradeCreate(input: { outTradeNo: string; amountFen: number; subject: string; buyerId: string; notifyUrl: string; expiresAt?: Date }): Promise<{ tradeNo: string }>;
  /** null when Alipay does not know the trade (ACQ.TRADE_NOT_EXIST). */
  query(outTradeNo: string): Promise<AlipayTrade | null>;
  close(outTradeNo: string): Promise<void>;
  refund(input: { outTradeNo: string; outRequestNo: string; refundFen: number; reason?: string }): Promise<AlipayRefundResult>;
  /** null when no such refund exists (Alipay answers success with no refund fields). */
  refundQuery(input: { outTradeNo: string; outRequestNo: string }): Promise<{ refundFen: number; status: string } | null>;
  billDownloadUrl(billDate: string): Promise<string | null>;
  /** The trade details CSV as text: Alipay's zip of GBK files is unzipped and decoded (the sandbox sends plain CSV). */
  downloadBill(url: string): Promise<string>;
  /** checkNotifySignV2 + app_id check; throws ProviderError('BAD_NOTIFICATION'). */
  verifyNotification(fields: Record<string, string>): AlipayNotification;
}

const rejected = (method: string, r: Record<string, unknown>) =>
  new ProviderError(String(r.code).startsWith('2') ? 'UNAVAILABLE' : 'REJECTED', `Alipay ${method}: ${r.sub_code ?? r.code} ${r.sub_msg ?? r.msg ?? ''}`.trim(), {
    provider: 'alipay', providerCode: String(r.sub_code ?? r.code),
  });

export function createAlipayClient(config: AlipayConfig, sdk: AlipaySdk = createAlipaySdk(config)): AlipayClient {
  const call = async (method: string, bizContent: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    alipayExec(sdk, method, { ...extra, bizContent });

  return {
    appId: config.appId,

    async tradeCreate(input) {
      const r = await call('alipay.trade.create', {
        out_trade_no: input.outTradeNo,
        total_amount: fenToYuan(input.amountFen),
        subject: input.subject,
        product_code: 'JSAPI_PAY',
        op_app_id: config.appId,
        ...(/^2088\d{12}$/.test(input.buyerId) ? { buyer_id: input.buyerId } : { buyer_open_id: input.buyerId }),
        ...(input.expiresAt ? { time_expire: beijingTime(input.expiresAt) } : {}),
      }, { notify_url: input.notifyUrl });
      if (r.code !== '10000' || typeof r.trade_no !== 'string') throw rejected('alipay.trade.create', r);
      return { tradeNo: r.trade_no };
    },

    async query(outTradeNo) {
      const r = await call('alipay.trade.query', { out_trade_no: outTradeNo });
      if (r.code !== '10000') {
        if (r.sub_code === 'ACQ.TRADE_NOT_EXIST') return null;
        throw rejected('alipay.trade.query', r);
      }
      return {
        tradeNo: String(r.trade_no),
        outTradeNo: String(r.out_trade_no),
        status: r.trade_status as AlipayTrade['status'],
        totalFen: yuanToFen(r.total_amount as string),
        ...(r.buyer_pay_amount !== undefined ? { buyerPayFen: yuanToFen(r.buyer_pay_amount as string) } : {}),
        ...(r.send_pay_date ? { paidAt: String(r.send_pay_date) } : {}),
        ...(r.buyer_user_id || r.buyer_open_id ? { buyerId: String(r.buyer_user_id ?? r.buyer_open_id) } : {}),
      };
    },

    async close(outTradeNo) {
      const r = await call('alipay.trade.close', { out_trade_no: outTradeNo });
      if (r.code !== '10000') throw rejected('alipay.trade.close', r);
    },

    async refund(input) {
      const r = await call('alipay.trade.refund', {
        out_trade_no: input.outTradeNo,
        out_request_no: input.outRequestNo,
        refund_amount: fenToYuan(input.refundFen),
        ...(input.reason ? { refund_reason: input.reason } : {}),
      });
      if (r.code !== '10000') throw rejected('alipay.trade.refund', r);
      return {
        tradeNo: String(r.trade_no), fundChange: r.fund_change === 'Y', refundedFen: yuanToFen(r.refund_fee as string),
        ...(typeof r.gmt_refund_pay === 'string' ? { refundedAt: r.gmt_refund_pay } : {}),
      };
    },

    async refundQuery(input) {
      const r = await call('alipay.trade.fastpay.refund.query', { out_trade_no: input.outTradeNo, out_request_no: input.outRequestNo });
      if (r.code !== '10000') throw rejected('alipay.trade.fastpay.refund.query', r);
      if (r.refund_amount === undefined) return null;
      return { refundFen: yuanToFen(r.refund_amount as string), status: String(r.refund_status ?? 'REFUND_SUCCESS') };
    },

    async billDownloadUrl(billDate) {
      const r = await call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: billDate });
      if (r.code !== '10000') {
        if (r.sub_code === 'isp.bill_not_exist') return null;
        throw rejected('alipay.data.dataservice.bill.downloadurl.query', r);
      }
      return String(r.bill_download_url);
    },

    async downloadBill(url) {
      const res = await fetch(url, { signal: AbortSignal.timeout(config.timeoutMs ?? 10_000) });
      if (!res.ok) throw new ProviderError('UNAVAILABLE', `Alipay bill download failed: ${res.status}`, { provider: 'alipay' });
      const body = Buffer.from(await res.arrayBuffer());
      if (!isZip(body)) return body.toString('utf8');
      // The real file: a zip of GBK CSVs, the details (业务明细) and a summary (汇总); we want the details.
      const files = unzip(body).filter((f) => f.name.endsWith('.csv'));
      const detail = files.find((f) => f.name.includes('业务明细') && !f.name.includes('汇总')) ?? files[0];
      if (!detail) throw new ProviderError('UNAVAILABLE', 'Alipay bill archive has no CSV', { provider: 'alipay' });
      return new TextDecoder('gbk').decode(detail.data);
    },

    verifyNotification(fields) {
      return verifyAlipayNotification(config, fields, sdk);
    },
  };
}

/**
 * Verifies an Alipay async notification (the parsed form fields, values as received):
 * checkNotifySignV2, then app_id. Throws ProviderError('BAD_NOTIFICATION').
 */
export function verifyAlipayNotification(config: AlipayConfig, fields: Record<string, string>, sdk: AlipaySdk = createAlipaySdk(config)): AlipayNotification {
  const fail = (reason: string) => new ProviderError('BAD_NOTIFICATION', `alipay notification rejected: ${reason}`, { provider: 'alipay' });
  // V2 verifies the raw values (V1 URL-decodes them again and throws on '%').
  if (!sdk.checkNotifySignV2(fields)) throw fail('signature does not verify');
  if (fields.app_id !== config.appId) throw fail('app_id does not match');
  let totalFen: number;
  let refundFeeFen: number | undefined;
  try {
    totalFen = yuanToFen(fields.total_amount);
    refundFeeFen = fields.refund_fee !== undefined ? yuanToFen(fields.refund_fee) : undefined;
  } catch {
    throw fail('malformed amount');
  }
  return {
    notifyId: fields.notify_id ?? '',
    notifyType: fields.notify_type ?? '',
    appId: fields.app_id,
    sellerId: fields.seller_id ?? '',
    outTradeNo: fields.out_trade_no ?? '',
    tradeNo: fields.trade_no ?? '',
    tradeStatus: fields.trade_status ?? '',
    totalFen,
    ...(refundFeeFen !== undefined ? { refundFeeFen } : {}),
    ...(fields.out_biz_no ? { outBizNo: fields.out_biz_no } : {}),
    fields,
  };
}
