/**
 * WeChat Pay and Alipay behind one interface: what an order needs from a provider, in our terms
 * (fen, ISO times, four trade states). Real or sandbox is only configuration (base URL, keys).
 */
import type { PaymentChannel } from '@hospital/shared';
import { config } from '#lib/config';
import { createAlipayClient, type AlipayClient } from '#lib/providers/alipay';
import { alipayConfig, wechatPayConfig } from '#lib/providers/config';
import { isProviderError, ProviderError } from '#lib/providers/errors';
import { createWechatPayClient, type WechatPayClient } from '#lib/providers/wechatpay';
import { parseAlipayBill, parseWechatBill, type BillRow } from './bill-files';
import { paymentsConfig } from './config';

export type TradeState = 'paid' | 'pending' | 'closed' | 'missing';

export interface ProviderTrade {
  state: TradeState;
  transactionId?: string;
  /** Fen the provider says the trade is for. */
  total?: number;
  /** ISO-8601 with offset, the provider's own payment time. */
  paidAt?: string;
}

export interface ProviderRefund {
  status: 'processing' | 'succeeded' | 'failed' | 'missing';
  succeededAt?: string;
}

export interface PayView {
  requestPayment?: { timeStamp: string; nonceStr: string; package: string; signType: 'RSA'; paySign: string };
  tradeNO?: string;
  checkoutUrl?: string;
}

export interface PrepayInput {
  orderNo: string;
  amount: number;
  description: string;
  payerId: string;
  expiresAt: Date;
}

export interface Channel {
  readonly name: PaymentChannel;
  /** Creates the provider's trade; `providerRef` is the prepay_id / trade_no to keep. */
  prepay(input: PrepayInput): Promise<{ providerRef: string }>;
  /** What the client needs to pay (fresh signature each time). */
  payView(providerRef: string, returnUrl?: string): PayView;
  query(orderNo: string): Promise<ProviderTrade>;
  /** 'closed': nothing can be paid any more; 'check': the provider refused (paid meanwhile?): query again. */
  close(orderNo: string): Promise<'closed' | 'check'>;
  refund(r: { orderNo: string; refundNo: string; amount: number; total: number; reason: string }): Promise<ProviderRefund>;
  queryRefund(r: { orderNo: string; refundNo: string }): Promise<ProviderRefund>;
  /** The day's trade bill, or null when the provider has none for the day. */
  bill(date: string): Promise<BillRow[] | null>;
}

/** `2024-05-01 09:30:00` (Beijing) → `2024-05-01T09:30:00+08:00`. */
export const beijingToIso = (s: string) => (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(s) ? `${s.slice(0, 10)}T${s.slice(11, 19)}+08:00` : undefined);

/** WeChat limits `description` to 127 bytes. */
const shortDescription = (d: string) => {
  let out = '';
  for (const ch of d) {
    if (Buffer.byteLength(out + ch) > 120) break;
    out += ch;
  }
  return out;
};

const sandboxOrigin = (url: string) => new URL(url).origin;

function wechatChannel(client: WechatPayClient, baseUrl: string): Channel {
  const refund = (r: { status: string; success_time?: string }): ProviderRefund => ({
    status: r.status === 'SUCCESS' ? 'succeeded' : r.status === 'PROCESSING' ? 'processing' : 'failed',
    ...(r.success_time ? { succeededAt: r.success_time } : {}),
  });
  return {
    name: 'wechat',
    async prepay(i) {
      const { prepayId } = await client.jsapiPrepay({
        outTradeNo: i.orderNo, description: shortDescription(i.description), amountFen: i.amount, payerOpenid: i.payerId,
        notifyUrl: paymentsConfig.wechatNotifyUrl, expiresAt: i.expiresAt,
      });
      return { providerRef: prepayId };
    },
    payView(prepayId, returnUrl) {
      const view: PayView = { requestPayment: client.requestPaymentParams(prepayId) };
      if (config.providerMode === 'sandbox') {
        view.checkoutUrl = `${sandboxOrigin(baseUrl)}/checkout?${new URLSearchParams({ prepay_id: prepayId, ...(returnUrl ? { return: returnUrl } : {}) })}`;
      }
      return view;
    },
    async query(orderNo) {
      try {
        const t = await client.query(orderNo);
        const state: TradeState = t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND' ? 'paid'
          : t.trade_state === 'NOTPAY' || t.trade_state === 'USERPAYING' ? 'pending' : 'closed';
        return { state, transactionId: t.transaction_id, total: t.amount?.total, paidAt: t.success_time };
      } catch (e) {
        if (isProviderError(e, 'REJECTED') && e.providerCode === 'ORDER_NOT_EXIST') return { state: 'missing' };
        throw e;
      }
    },
    async close(orderNo) {
      try {
        await client.close(orderNo);
        return 'closed';
      } catch (e) {
        if (isProviderError(e, 'REJECTED') && e.providerCode === 'ORDER_NOT_EXIST') return 'closed';
        if (isProviderError(e, 'REJECTED')) return 'check';
        throw e;
      }
    },
    async refund(r) {
      return refund(await client.refund({
        outTradeNo: r.orderNo, outRefundNo: r.refundNo, refundFen: r.amount, totalFen: r.total, reason: r.reason.slice(0, 80),
        notifyUrl: paymentsConfig.wechatNotifyUrl,
      }));
    },
    async queryRefund(r) {
      try {
        return refund(await client.queryRefund(r.refundNo));
      } catch (e) {
        if (isProviderError(e, 'REJECTED') && e.providerCode === 'RESOURCE_NOT_EXISTS') return { status: 'missing' };
        throw e;
      }
    },
    async bill(date) {
      const csv = await client.tradeBill(date, 'ALL');
      return csv === null ? null : parseWechatBill(csv);
    },
  };
}

function alipayChannel(client: AlipayClient, gateway: string): Channel {
  return {
    name: 'alipay',
    async prepay(i) {
      const { tradeNo } = await client.tradeCreate({
        outTradeNo: i.orderNo, amountFen: i.amount, subject: i.description.slice(0, 120), buyerId: i.payerId,
        notifyUrl: paymentsConfig.alipayNotifyUrl, expiresAt: i.expiresAt,
      });
      return { providerRef: tradeNo };
    },
    payView(tradeNo, returnUrl) {
      const view: PayView = { tradeNO: tradeNo };
      if (config.providerMode === 'sandbox') {
        view.checkoutUrl = `${sandboxOrigin(gateway)}/checkout?${new URLSearchParams({ trade_no: tradeNo, ...(returnUrl ? { return: returnUrl } : {}) })}`;
      }
      return view;
    },
    async query(orderNo) {
      const t = await client.query(orderNo);
      if (!t) return { state: 'missing' };
      // A fully refunded trade also reads TRADE_CLOSED: a payment time means it was paid.
      const paid = t.status === 'TRADE_SUCCESS' || t.status === 'TRADE_FINISHED' || (t.status === 'TRADE_CLOSED' && !!t.paidAt);
      const state: TradeState = paid ? 'paid' : t.status === 'WAIT_BUYER_PAY' ? 'pending' : 'closed';
      return { state, transactionId: t.tradeNo, total: t.totalFen, ...(t.paidAt ? { paidAt: beijingToIso(t.paidAt) } : {}) };
    },
    async close(orderNo) {
      try {
        await client.close(orderNo);
        return 'closed';
      } catch (e) {
        if (isProviderError(e, 'REJECTED') && e.providerCode === 'ACQ.TRADE_NOT_EXIST') return 'closed';
        if (isProviderError(e, 'REJECTED')) return 'check';
        throw e;
      }
    },
    async refund(r) {
      const out = await client.refund({ outTradeNo: r.orderNo, outRequestNo: r.refundNo, refundFen: r.amount, reason: r.reason.slice(0, 80) });
      // Alipay refunds synchronously: an accepted request is paid out (fund_change N = an earlier identical request was).
      return { status: 'succeeded', succeededAt: (out.refundedAt && beijingToIso(out.refundedAt)) || new Date().toISOString() };
    },
    async queryRefund(r) {
      const out = await client.refundQuery({ outTradeNo: r.orderNo, outRequestNo: r.refundNo });
      if (!out) return { status: 'missing' };
      return { status: out.status === 'REFUND_SUCCESS' ? 'succeeded' : 'processing' };
    },
    async bill(date) {
      const url = await client.billDownloadUrl(date);
      return url === null ? null : parseAlipayBill(await client.downloadBill(url));
    },
  };
}

interface Clients {
  key: string;
  wechat?: { client: WechatPayClient; channel: Channel };
  alipay?: { client: AlipayClient; channel: Channel };
}
let cache: Clients = { key: '' };

/** Clients are built once per container (and again if the configuration changes: tests). */
function clients(): Clients {
  const key = `${process.env.WECHATPAY_BASE}|${process.env.ALIPAY_GATEWAY}|${process.env.WECHATPAY_MCHID}|${process.env.ALIPAY_APP_ID}`;
  if (cache.key !== key) cache = { key };
  return cache;
}

function wechat() {
  const c = clients();
  if (!c.wechat) {
    const cfg = wechatPayConfig();
    const client = createWechatPayClient(cfg);
    c.wechat = { client, channel: wechatChannel(client, cfg.baseUrl) };
  }
  return c.wechat;
}

function alipay() {
  const c = clients();
  if (!c.alipay) {
    const cfg = alipayConfig();
    const client = createAlipayClient(cfg);
    c.alipay = { client, channel: alipayChannel(client, cfg.gateway) };
  }
  return c.alipay;
}

export const channel = (name: PaymentChannel): Channel => (name === 'wechat' ? wechat().channel : alipay().channel);

/** For the notification handlers: the provider clients (their verifiers decide what is genuine). */
export const wechatClient = () => wechat().client;
export const alipayClient = () => alipay().client;

export { ProviderError, isProviderError };
export type { BillRow };
