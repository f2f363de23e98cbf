/**
 * Provider notifications. Verification first (our own verifiers: signature over the raw body,
 * ±300 s, key by serial or PUB_KEY_ID, GCM tag; Alipay checkNotifySignV2 + app_id), then the
 * facts must match the order (merchant, app, amount). Anything that fails changes nothing and is
 * answered so the provider retries; it is logged by reason, never with the body or keys.
 * Replies: WeChat 204 on success / 4xx-5xx `{"code":"FAIL"}`; Alipay body `success` / `failure`.
 */
import { RawReply } from '#lib/http/index';
import { logger } from '#lib/logger';
import type { WechatRefundResource, WechatTransaction } from '#lib/providers/wechatpay';
import { alipayClient, beijingToIso, isProviderError, wechatClient } from './channels';
import { paymentsConfig } from './config';
import { creditPayment } from './credit';
import * as orders from './orders-store';
import { refundFailed, refundSucceeded } from './refunds';

const wechatOk = () => new RawReply(204, '', {});
const wechatFail = (status: number, message: string) =>
  new RawReply(status, JSON.stringify({ code: 'FAIL', message }), { 'content-type': 'application/json; charset=utf-8' });
const alipayOk = () => new RawReply(200, 'success');
const alipayFail = () => new RawReply(200, 'failure');

const reject = (provider: string, reason: string, ref?: string) => logger.warn('notification rejected', { provider, reason, ref });

export async function wechat(headers: Record<string, string>, rawBody: string): Promise<RawReply> {
  const client = wechatClient();
  let n;
  try {
    n = client.verifyNotification<Record<string, unknown>>({ headers, rawBody });
  } catch (e) {
    if (isProviderError(e, 'BAD_NOTIFICATION')) {
      reject('wechatpay', e.message);
      return wechatFail(401, '签名错误');
    }
    throw e;
  }
  try {
    if (n.eventType === 'TRANSACTION.SUCCESS') {
      const t = n.resource as unknown as WechatTransaction;
      if (t.mchid !== client.mchid || t.appid !== client.appId) return (reject('wechatpay', 'merchant or app mismatch', t.out_trade_no), wechatFail(400, '商户号不匹配'));
      if (t.trade_state !== 'SUCCESS') return wechatOk();
      const o = await orders.getOrder(String(t.out_trade_no));
      if (!o || o.channel !== 'wechat') return (reject('wechatpay', 'unknown order', t.out_trade_no), wechatFail(404, '订单不存在'));
      if (t.amount?.total !== o.amount) return (reject('wechatpay', 'amount mismatch', o.orderNo), wechatFail(400, '金额不符'));
      await creditPayment(o, { paidAt: t.success_time ?? new Date().toISOString(), transactionId: t.transaction_id }, 'notification');
      return wechatOk();
    }
    if (n.eventType.startsWith('REFUND.')) {
      const r = n.resource as unknown as WechatRefundResource;
      if (r.mchid !== client.mchid) return (reject('wechatpay', 'merchant mismatch', r.out_refund_no), wechatFail(400, '商户号不匹配'));
      const refund = await orders.getRefund(String(r.out_trade_no), String(r.out_refund_no));
      if (!refund || refund.channel !== 'wechat') return (reject('wechatpay', 'unknown refund', r.out_refund_no), wechatFail(404, '退款单不存在'));
      if (r.amount?.refund !== refund.amount) return (reject('wechatpay', 'refund amount mismatch', refund.refundNo), wechatFail(400, '金额不符'));
      if (r.refund_status === 'SUCCESS') await refundSucceeded(refund, r.success_time);
      else await refundFailed(refund);
      return wechatOk();
    }
    return wechatOk();
  } catch (e) {
    logger.error('wechatpay notification not processed', { event: n.eventType, error: (e as Error).name });
    return wechatFail(500, '处理失败');
  }
}

export async function alipay(rawBody: string): Promise<RawReply> {
  const fields = Object.fromEntries(new URLSearchParams(rawBody));
  const client = alipayClient();
  let n;
  try {
    n = client.verifyNotification(fields);
  } catch (e) {
    if (isProviderError(e, 'BAD_NOTIFICATION')) {
      reject('alipay', e.message);
      return alipayFail();
    }
    throw e;
  }
  try {
    const seller = paymentsConfig.alipaySellerId;
    if (seller && n.sellerId !== seller) return (reject('alipay', 'seller mismatch', n.outTradeNo), alipayFail());
    const o = await orders.getOrder(n.outTradeNo);
    if (!o || o.channel !== 'alipay') return (reject('alipay', 'unknown order', n.outTradeNo), alipayFail());
    if (n.totalFen !== o.amount) return (reject('alipay', 'amount mismatch', o.orderNo), alipayFail());
    if (n.outBizNo && n.refundFeeFen !== undefined) {
      // A refund notification: out_biz_no is our out_request_no, refund_fee the trade's refunded total.
      const refund = await orders.getRefund(o.orderNo, n.outBizNo);
      if (!refund) return (reject('alipay', 'unknown refund', n.outBizNo), alipayFail());
      await refundSucceeded(refund, beijingToIso(fields.gmt_refund ?? ''));
      return alipayOk();
    }
    if (n.tradeStatus === 'TRADE_SUCCESS' || n.tradeStatus === 'TRADE_FINISHED') {
      await creditPayment(o, { paidAt: beijingToIso(fields.gmt_payment ?? '') ?? new Date().toISOString(), transactionId: n.tradeNo }, 'notification');
    }
    return alipayOk();
  } catch (e) {
    logger.error('alipay notification not processed', { error: (e as Error).name });
    return alipayFail();
  }
}
