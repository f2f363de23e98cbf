/**
 * WeChat Pay v3 business state for the sandbox: JSAPI orders, refunds, trade bills.
 * Pure in-memory logic; wechat.ts does the HTTP, signatures and notifications.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { cstDate, fenToYuan, rfc3339Cst } from './common';

export interface ApiResult {
  status: number;
  /** undefined → 204 No Content (close). */
  body?: unknown;
}

const err = (status: number, code: string, message: string): ApiResult => ({ status, body: { code, message } });

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface Order {
  appid: string;
  mchid: string;
  outTradeNo: string;
  description: string;
  notifyUrl: string;
  attach?: string;
  totalFen: number;
  openid: string;
  timeExpire?: number;
  prepayId: string;
  state: TradeState;
  createdAt: Date;
  transactionId?: string;
  successTime?: Date;
  /** The body of the TRANSACTION.SUCCESS notification, kept so a resend is byte-identical. */
  notification?: string;
}

export interface Refund {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  refundFen: number;
  reason?: string;
  notifyUrl: string;
  status: 'PROCESSING' | 'SUCCESS';
  createdAt: Date;
  successTime?: Date;
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const stamp = (d: Date) => rfc3339Cst(d).slice(0, 19).replace(/\D/g, '');
const OUT_NO = /^[A-Za-z0-9_\-|*]{6,32}$/;
const OUT_REFUND_NO = /^[A-Za-z0-9_\-|*@]{1,64}$/;

/** CSV cells must not carry the separator or line breaks. */
const cell = (s: string) => s.replace(/[,`\r\n]/g, ' ');
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const int = (v: unknown): number | undefined => (Number.isSafeInteger(v) ? (v as number) : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export class WechatPayState {
  readonly orders = new Map<string, Order>();
  readonly byPrepay = new Map<string, Order>();
  readonly refunds = new Map<string, Refund>();
  private readonly bills = new Map<string, string>();

  constructor(private readonly appId: string, private readonly mchid: string) {}

  prepay(body: Record<string, unknown>, callerMchid: string): ApiResult {
    const appid = str(body.appid);
    const mchid = str(body.mchid);
    const outTradeNo = str(body.out_trade_no);
    const description = str(body.description);
    const notifyUrl = str(body.notify_url);
    const amount = obj(body.amount);
    const total = int(amount.total);
    const openid = str(obj(body.payer).openid);
    if (!appid || !mchid || !outTradeNo || !description || !notifyUrl || !openid || total === undefined) {
      return err(400, 'PARAM_ERROR', '输入源“/body”映射到值字段失败：缺少必填参数');
    }
    if (mchid !== callerMchid || mchid !== this.mchid) return err(400, 'PARAM_ERROR', 'mchid与请求头中的商户号不一致');
    if (appid !== this.appId) return err(400, 'PARAM_ERROR', 'appid和mch_id不匹配');
    if (!OUT_NO.test(outTradeNo)) return err(400, 'PARAM_ERROR', 'out_trade_no格式错误');
    if (total <= 0) return err(400, 'PARAM_ERROR', '订单金额必须大于0');
    if (amount.currency !== undefined && amount.currency !== 'CNY') return err(400, 'PARAM_ERROR', '币种不支持');
    if (!/^https?:\/\//.test(notifyUrl)) return err(400, 'PARAM_ERROR', 'notify_url格式错误');
    let timeExpire: number | undefined;
    if (body.time_expire !== undefined) {
      timeExpire = Date.parse(String(body.time_expire));
      if (Number.isNaN(timeExpire)) return err(400, 'PARAM_ERROR', 'time_expire格式错误');
    }

    const existing = this.orders.get(outTradeNo);
    if (existing) {
      // WeChat: a repeat with the same parameters gets the same prepay_id; changed ones are refused.
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return err(400, 'ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') return err(400, 'ORDER_CLOSED', '订单已关闭');
      if (existing.totalFen !== total || existing.openid !== openid || existing.description !== description) {
        return err(400, 'INVALID_REQUEST', '201 商户订单号重复');
      }
      return { status: 200, body: { prepay_id: existing.prepayId } };
    }
    const now = new Date();
    const order: Order = {
      appid, mchid, outTradeNo, description, notifyUrl, openid, timeExpire,
      attach: str(body.attach),
      totalFen: total,
      prepayId: `wx${stamp(now)}${randomBytes(11).toString('hex')}`,
      state: 'NOTPAY',
      createdAt: now,
    };
    this.orders.set(outTradeNo, order);
    this.byPrepay.set(order.prepayId, order);
    return { status: 200, body: { prepay_id: order.prepayId } };
  }

  /** Marks an order paid. Returns the order, or why it cannot be paid. */
  pay(outTradeNo: string, now = new Date()): { order?: Order; error?: string; alreadyPaid?: boolean } {
    const order = this.orders.get(outTradeNo);
    if (!order) return { error: '订单不存在' };
    if (order.state === 'SUCCESS' || order.state === 'REFUND') return { order, alreadyPaid: true };
    if (order.state === 'CLOSED') return { error: '订单已关闭' };
    if (order.timeExpire !== undefined && now.getTime() > order.timeExpire) return { error: '订单已过期' };
    order.state = 'SUCCESS';
    order.successTime = now;
    order.transactionId = `4200${digits(24)}`;
    return { order };
  }

  transaction(o: Order): Record<string, unknown> {
    const paid = o.state === 'SUCCESS' || o.state === 'REFUND';
    const desc: Record<TradeState, string> = { NOTPAY: '订单未支付', SUCCESS: '支付成功', CLOSED: '订单已关闭', REFUND: '转入退款' };
    return {
      appid: o.appid,
      mchid: o.mchid,
      out_trade_no: o.outTradeNo,
      ...(paid ? { transaction_id: o.transactionId } : {}),
      trade_type: paid ? 'JSAPI' : undefined,
      trade_state: o.state,
      trade_state_desc: desc[o.state],
      ...(paid ? { bank_type: 'OTHERS', success_time: rfc3339Cst(o.successTime) } : {}),
      attach: o.attach ?? '',
      payer: { openid: o.openid },
      amount: paid
        ? { total: o.totalFen, payer_total: o.totalFen, currency: 'CNY', payer_currency: 'CNY' }
        : { total: o.totalFen, currency: 'CNY' },
    };
  }

  query(outTradeNo: string, mchid: string | null): ApiResult {
    if (mchid !== this.mchid) return err(400, 'PARAM_ERROR', 'mchid参数错误');
    const order = this.orders.get(outTradeNo);
    if (!order) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
    return { status: 200, body: this.transaction(order) };
  }

  close(outTradeNo: string, body: Record<string, unknown>): ApiResult {
    if (body.mchid !== this.mchid) return err(400, 'PARAM_ERROR', 'mchid参数错误');
    const order = this.orders.get(outTradeNo);
    if (!order) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (order.state === 'SUCCESS' || order.state === 'REFUND') return err(400, 'ORDERPAID', '订单已支付');
    order.state = 'CLOSED';
    return { status: 204 };
  }

  refundView(r: Refund): Record<string, unknown> {
    const o = this.orders.get(r.outTradeNo) as Order;
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: o.transactionId,
      out_trade_no: o.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.successTime ? { success_time: rfc3339Cst(r.successTime) } : {}),
      create_time: rfc3339Cst(r.createdAt),
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: o.totalFen, refund: r.refundFen, payer_total: o.totalFen, payer_refund: r.refundFen,
        settlement_total: o.totalFen, settlement_refund: r.refundFen, discount_refund: 0, currency: 'CNY', refund_fee: 0,
      },
    };
  }

  /** Sum of every refund accepted against an order (processing ones count: the money is committed). */
  refunded(outTradeNo: string): number {
    let sum = 0;
    for (const r of this.refunds.values()) if (r.outTradeNo === outTradeNo) sum += r.refundFen;
    return sum;
  }

  refund(body: Record<string, unknown>): { result: ApiResult; created?: Refund } {
    const outRefundNo = str(body.out_refund_no);
    const amount = obj(body.amount);
    const refund = int(amount.refund);
    const total = int(amount.total);
    let outTradeNo = str(body.out_trade_no);
    const transactionId = str(body.transaction_id);
    if (!outTradeNo && transactionId) {
      outTradeNo = [...this.orders.values()].find((o) => o.transactionId === transactionId)?.outTradeNo;
      if (!outTradeNo) return { result: err(404, 'RESOURCE_NOT_EXISTS', '订单不存在') };
    }
    if (!outRefundNo || !outTradeNo || refund === undefined || total === undefined || amount.currency !== 'CNY') {
      return { result: err(400, 'PARAM_ERROR', '缺少必填参数') };
    }
    if (!OUT_REFUND_NO.test(outRefundNo)) return { result: err(400, 'PARAM_ERROR', 'out_refund_no格式错误') };
    const existing = this.refunds.get(outRefundNo);
    if (existing) {
      // Idempotent by out_refund_no; a changed request under the same number is refused.
      if (existing.outTradeNo !== outTradeNo || existing.refundFen !== refund) {
        return { result: err(400, 'INVALID_REQUEST', '退款单号重复，且与之前请求参数不一致') };
      }
      return { result: { status: 200, body: this.refundView(existing) } };
    }
    const order = this.orders.get(outTradeNo);
    if (!order) return { result: err(404, 'RESOURCE_NOT_EXISTS', '订单不存在') };
    if (order.state !== 'SUCCESS' && order.state !== 'REFUND') return { result: err(400, 'INVALID_REQUEST', '订单未支付，不能退款') };
    if (total !== order.totalFen) return { result: err(400, 'PARAM_ERROR', '订单金额与原订单金额不一致') };
    if (refund <= 0) return { result: err(400, 'PARAM_ERROR', '退款金额必须大于0') };
    const left = order.totalFen - this.refunded(outTradeNo);
    if (left <= 0) return { result: err(400, 'INVALID_REQUEST', '订单已全额退款') };
    if (refund > left) return { result: err(400, 'NOT_ENOUGH', '申请退款金额超过订单可退金额') };
    const r: Refund = {
      refundId: `50${digits(27)}`,
      outRefundNo,
      outTradeNo,
      refundFen: refund,
      reason: str(body.reason),
      notifyUrl: str(body.notify_url) ?? order.notifyUrl,
      status: 'PROCESSING',
      createdAt: new Date(),
    };
    this.refunds.set(outRefundNo, r);
    order.state = 'REFUND';
    return { result: { status: 200, body: this.refundView(r) }, created: r };
  }

  queryRefund(outRefundNo: string): ApiResult {
    const r = this.refunds.get(outRefundNo);
    if (!r) return err(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    return { status: 200, body: this.refundView(r) };
  }

  /** GET /v3/bill/tradebill: builds the day's bill, answers where to download it and its SHA1. */
  tradeBill(billDate: string | null, billType: string | null, origin: string, appId: string): ApiResult {
    if (!billDate || !/^\d{4}-\d{2}-\d{2}$/.test(billDate)) return err(400, 'PARAM_ERROR', 'bill_date格式错误');
    const type = billType ?? 'ALL';
    if (!['ALL', 'SUCCESS', 'REFUND'].includes(type)) return err(400, 'PARAM_ERROR', 'bill_type参数错误');
    const csv = this.billCsv(billDate, type, appId);
    if (!csv) return err(400, 'NO_STATEMENT_EXIST', '账单文件不存在');
    const token = randomBytes(16).toString('hex');
    this.bills.set(token, csv);
    return {
      status: 200,
      body: {
        hash_type: 'SHA1',
        hash_value: createHash('sha1').update(csv, 'utf8').digest('hex'),
        download_url: `${origin}/v3/billdownload/file?token=${token}`,
      },
    };
  }

  billFile(token: string | null): string | undefined {
    return token ? this.bills.get(token) : undefined;
  }

  /** WeChat's trade-bill CSV: every data field is prefixed with a backtick. */
  private billCsv(date: string, type: string, appId: string): string | undefined {
    const head =
      '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,' +
      '应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
    const rows: string[][] = [];
    let paidFen = 0, refundFen = 0, feeFen = 0;
    const fee = (fen: number) => Math.round(fen * 0.006);
    const y = fenToYuan;
    if (type !== 'REFUND') {
      for (const o of this.orders.values()) {
        if (!o.successTime || cstDate(o.successTime) !== date) continue;
        paidFen += o.totalFen;
        feeFen += fee(o.totalFen);
        rows.push([rfc3339Cst(o.successTime).slice(0, 19).replace('T', ' '), appId, o.mchid, '0', '', o.transactionId ?? '',
          o.outTradeNo, o.openid, 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', y(o.totalFen), '0.00', '0', '0', '0.00', '0.00', '', '',
          cell(o.description), cell(o.attach ?? ''), y(fee(o.totalFen)), '0.60%', y(o.totalFen), '0.00', '']);
      }
    }
    if (type !== 'SUCCESS') {
      for (const r of this.refunds.values()) {
        if (!r.successTime || cstDate(r.successTime) !== date) continue;
        const o = this.orders.get(r.outTradeNo) as Order;
        refundFen += r.refundFen;
        feeFen -= fee(r.refundFen);
        rows.push([rfc3339Cst(r.successTime).slice(0, 19).replace('T', ' '), appId, o.mchid, '0', '', o.transactionId ?? '',
          o.outTradeNo, o.openid, 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', r.refundId, r.outRefundNo,
          y(r.refundFen), '0.00', 'ORIGINAL', 'SUCCESS', cell(o.description), cell(o.attach ?? ''), `-${y(fee(r.refundFen))}`, '0.60%',
          '0.00', y(r.refundFen), '']);
      }
    }
    if (rows.length === 0) return undefined;
    const sign = feeFen < 0 ? '-' : '';
    const lines = [
      head,
      ...rows.map((r) => r.map((f) => `\`${f}`).join(',')),
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      [String(rows.length), y(paidFen), y(refundFen), '0.00', `${sign}${y(Math.abs(feeFen))}`, y(paidFen), y(refundFen)]
        .map((f) => `\`${f}`).join(','),
    ];
    return `${lines.join('\r\n')}\r\n`;
  }
}
