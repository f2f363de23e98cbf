/**
 * WeChat Pay v3 (JSAPI, i.e. mini-program payments) on wechatpay-node-v3, with every response
 * signature verified by our http seam. Amounts are integer fen, as in WeChat Pay itself.
 */
import { createHash, createPublicKey, createSign, randomBytes } from 'node:crypto';
import WxPay from 'wechatpay-node-v3';
import type { WechatPayConfig } from './config';
import { ProviderError } from './errors';
import { verifyingHttp, WECHATPAY_HOST, type PayOutput } from './wechatpay-http';
import { type SignedMessage, verifyWechatNotification, type WechatNotification } from './wechatpay-notify';

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

/** A transaction as WeChat Pay returns it (query and TRANSACTION.SUCCESS resource). */
export interface WechatTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: TradeState;
  trade_state_desc?: string;
  success_time?: string;
  attach?: string;
  payer?: { openid?: string };
  amount: { total: number; payer_total?: number; currency?: string };
}

export interface WechatRefund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
  success_time?: string;
  create_time: string;
  amount: { total: number; refund: number; payer_total?: number; payer_refund?: number; currency?: string };
}

/** REFUND.* notification resource. */
export interface WechatRefundResource {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  success_time?: string;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
}

export interface RequestPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export interface PrepayInput {
  outTradeNo: string;
  description: string;
  amountFen: number;
  payerOpenid: string;
  notifyUrl: string;
  /** WeChat refuses payment after this instant. */
  expiresAt?: Date;
  attach?: string;
}

export interface RefundInput {
  outTradeNo: string;
  outRefundNo: string;
  refundFen: number;
  /** The original order total (WeChat checks it). */
  totalFen: number;
  reason?: string;
  notifyUrl?: string;
}

export interface WechatPayClient {
  readonly appId: string;
  readonly mchid: string;
  jsapiPrepay(input: PrepayInput): Promise<{ prepayId: string }>;
  /** Signed parameters for `wx.requestPayment` (merchant key, RSA). */
  requestPaymentParams(prepayId: string): RequestPaymentParams;
  /** Throws REJECTED with providerCode ORDER_NOT_EXIST for an unknown order. */
  query(outTradeNo: string): Promise<WechatTransaction>;
  close(outTradeNo: string): Promise<void>;
  refund(input: RefundInput): Promise<WechatRefund>;
  queryRefund(outRefundNo: string): Promise<WechatRefund>;
  /** The day's trade bill CSV (hash-checked), or null when WeChat has no statement for the day. */
  tradeBill(billDate: string, billType?: 'ALL' | 'SUCCESS' | 'REFUND'): Promise<string | null>;
  verifyNotification<T = WechatTransaction>(msg: SignedMessage): WechatNotification<T>;
}

/** `2024-05-01T09:30:00+08:00`, the RFC 3339 form WeChat expects, independent of process TZ. */
export const rfc3339Cst = (d: Date) => `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

export function createWechatPayClient(config: WechatPayConfig): WechatPayClient {
  const pay = new WxPay({
    appid: config.appId,
    mchid: config.mchid,
    // The library only needs a public key to derive a serial; we pass serial_no explicitly
    // (its getSN() would lower-case it).
    publicKey: Buffer.from(createPublicKey(config.privateKey).export({ type: 'spki', format: 'pem' })),
    privateKey: Buffer.from(config.privateKey),
    serial_no: config.serialNo,
    key: config.apiV3Key,
    userAgent: 'internet-hospital/1.0',
  });
  pay.createHttp(verifyingHttp({ baseUrl: config.baseUrl, trustedKeys: config.trustedKeys, timeoutMs: config.timeoutMs }));

  /** Non-2xx answers become REJECTED (4xx, with WeChat's error code) or UNAVAILABLE (5xx). */
  const expect = (out: PayOutput, what: string, ok: number[] = [200]): unknown => {
    if (ok.includes(out.status)) return out.data;
    const body = (out.error ?? out.data) as { code?: string; message?: string } | undefined;
    const code = typeof body === 'object' && body ? body.code : undefined;
    const message = typeof body === 'object' && body ? body.message : undefined;
    throw new ProviderError(out.status >= 500 ? 'UNAVAILABLE' : 'REJECTED', `WeChat Pay ${what}: ${code ?? out.status} ${message ?? ''}`.trim(), {
      provider: 'wechatpay', providerCode: code, status: out.status,
    });
  };

  const requestPaymentParams = (prepayId: string): RequestPaymentParams => {
    const timeStamp = String(Math.floor(Date.now() / 1000));
    const nonceStr = randomBytes(16).toString('hex');
    const pkg = `prepay_id=${prepayId}`;
    const paySign = createSign('RSA-SHA256').update(`${config.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`).sign(config.privateKey, 'base64');
    return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  };

  return {
    appId: config.appId,
    mchid: config.mchid,
    requestPaymentParams,

    async jsapiPrepay(input) {
      const out = await pay.transactions_jsapi({
        description: input.description,
        out_trade_no: input.outTradeNo,
        notify_url: input.notifyUrl,
        amount: { total: input.amountFen, currency: 'CNY' },
        payer: { openid: input.payerOpenid },
        ...(input.expiresAt ? { time_expire: rfc3339Cst(input.expiresAt) } : {}),
        ...(input.attach ? { attach: input.attach } : {}),
      });
      // On success the library swaps the body for its own requestPayment params; the prepay id is in `package`.
      const data = expect(out, 'prepay') as { package?: string; prepay_id?: string };
      const prepayId = data.prepay_id ?? data.package?.replace(/^prepay_id=/, '');
      if (!prepayId) throw new ProviderError('UNAVAILABLE', 'WeChat Pay prepay returned no prepay_id', { provider: 'wechatpay' });
      return { prepayId };
    },

    async query(outTradeNo) {
      return expect(await pay.query({ out_trade_no: outTradeNo } as never), 'query') as WechatTransaction;
    },

    async close(outTradeNo) {
      expect(await pay.close(outTradeNo), 'close', [200, 204]);
    },

    async refund(input) {
      const out = await pay.refunds({
        out_trade_no: input.outTradeNo,
        out_refund_no: input.outRefundNo,
        amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.notifyUrl ? { notify_url: input.notifyUrl } : {}),
      });
      return expect(out as PayOutput, 'refund') as WechatRefund;
    },

    async queryRefund(outRefundNo) {
      return expect((await pay.find_refunds(outRefundNo)) as PayOutput, 'refund query') as WechatRefund;
    },

    async tradeBill(billDate, billType = 'ALL') {
      const out = await pay.tradebill({ bill_date: billDate, bill_type: billType });
      if (out.status === 400 && (out.error as { code?: string } | undefined)?.code === 'NO_STATEMENT_EXIST') return null;
      const info = expect(out, 'trade bill') as { download_url: string; hash_type: string; hash_value: string };
      // The library signs the URL minus the WeChat host, so hand it the canonical host; our seam maps it to baseUrl.
      const u = new URL(info.download_url);
      const file = expect(await pay.downloadBill(`${WECHATPAY_HOST}${u.pathname}${u.search}`), 'bill download');
      const csv = typeof file === 'string' ? file : Buffer.isBuffer(file) ? file.toString('utf8') : '';
      const digest = createHash(info.hash_type === 'SHA1' ? 'sha1' : 'sha256').update(csv, 'utf8').digest('hex');
      if (digest.toLowerCase() !== String(info.hash_value).toLowerCase()) {
        throw new ProviderError('BAD_RESPONSE_SIGNATURE', 'WeChat Pay bill file does not match its signed hash', { provider: 'wechatpay' });
      }
      return csv;
    },

    verifyNotification<T = WechatTransaction>(msg: SignedMessage) {
      return verifyWechatNotification<T>(config, msg);
    },
  };
}
