/** Alipay trade state for the sandbox: trade.create/query/close/refund, refund query, bills. */
import { randomBytes, randomInt } from 'node:crypto';
import { alipayTime, cstDate, fenToYuan, yuanToFen } from './common';

/** A business answer: code 10000 on success, 40004 + sub_code otherwise (signed by the gateway). */
export type Biz = Record<string, unknown>;

const fail = (sub_code: string, sub_msg: string, code = '40004', msg = 'Business Failed'): Biz => ({ code, msg, sub_code, sub_msg });
const ok = (fields: Biz): Biz => ({ code: '10000', msg: 'Success', ...fields });

export interface Trade {
  tradeNo: string;
  outTradeNo: string;
  totalFen: number;
  subject: string;
  buyerId?: string;
  buyerOpenId?: string;
  notifyUrl?: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  createdAt: Date;
  paidAt?: Date;
  timeExpire?: number;
}

export interface TradeRefund {
  outRequestNo: string;
  outTradeNo: string;
  refundFen: number;
  reason?: string;
  at: Date;
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
/** CSV cells must not carry the separator or line breaks. */
const cell = (s: string) => s.replace(/[,\r\n]/g, ' ');
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export class AlipayTradeState {
  readonly trades = new Map<string, Trade>();
  readonly byTradeNo = new Map<string, Trade>();
  /** Keyed by `${outTradeNo}\n${outRequestNo}`: out_request_no is unique per trade. */
  readonly refunds = new Map<string, TradeRefund>();
  private readonly bills = new Map<string, string>();

  constructor(private readonly sellerId: string) {}

  private find(biz: Biz): Trade | undefined {
    const t = str(biz.trade_no);
    return t ? this.byTradeNo.get(t) : this.trades.get(str(biz.out_trade_no) ?? '');
  }

  create(biz: Biz, notifyUrl: string | undefined): Biz {
    const outTradeNo = str(biz.out_trade_no);
    const subject = str(biz.subject);
    const totalFen = yuanToFen(biz.total_amount);
    const buyerId = str(biz.buyer_id);
    const buyerOpenId = str(biz.buyer_open_id);
    if (!outTradeNo || !subject || totalFen === undefined) return fail('ACQ.INVALID_PARAMETER', '参数无效', '40002', 'Invalid Arguments');
    if (totalFen <= 0) return fail('ACQ.TOTAL_FEE_EXCEED', '订单金额超过限额');
    if (!buyerId && !buyerOpenId) return fail('ACQ.INVALID_PARAMETER', 'buyer_id和buyer_open_id不能同时为空', '40002', 'Invalid Arguments');
    const existing = this.trades.get(outTradeNo);
    if (existing) {
      if (existing.status === 'TRADE_SUCCESS') return fail('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (existing.status === 'TRADE_CLOSED') return fail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      if (existing.totalFen !== totalFen || existing.subject !== subject) return fail('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      return ok({ out_trade_no: outTradeNo, trade_no: existing.tradeNo });
    }
    let timeExpire: number | undefined;
    const te = str(biz.time_expire);
    if (te) {
      const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(te);
      if (!m) return fail('ACQ.INVALID_PARAMETER', 'time_expire格式错误', '40002', 'Invalid Arguments');
      timeExpire = Date.parse(`${te.replace(' ', 'T')}+08:00`);
    }
    const now = new Date();
    const trade: Trade = {
      tradeNo: `${cstDate(now).replace(/-/g, '')}2200${digits(16)}`,
      outTradeNo, totalFen, subject, buyerId, buyerOpenId, notifyUrl, timeExpire,
      status: 'WAIT_BUYER_PAY',
      createdAt: now,
    };
    this.trades.set(outTradeNo, trade);
    this.byTradeNo.set(trade.tradeNo, trade);
    return ok({ out_trade_no: outTradeNo, trade_no: trade.tradeNo });
  }

  pay(outTradeNo: string, now = new Date()): { trade?: Trade; error?: string; alreadyPaid?: boolean } {
    const t = this.trades.get(outTradeNo);
    if (!t) return { error: '交易不存在' };
    if (t.status === 'TRADE_SUCCESS') return { trade: t, alreadyPaid: true };
    if (t.status === 'TRADE_CLOSED') return { error: '交易已关闭' };
    if (t.timeExpire !== undefined && now.getTime() > t.timeExpire) return { error: '交易已超时' };
    t.status = 'TRADE_SUCCESS';
    t.paidAt = now;
    return { trade: t };
  }

  refunded(outTradeNo: string): number {
    let sum = 0;
    for (const r of this.refunds.values()) if (r.outTradeNo === outTradeNo) sum += r.refundFen;
    return sum;
  }

  query(biz: Biz): Biz {
    const t = this.find(biz);
    if (!t) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const paid = t.paidAt !== undefined;
    return ok({
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      buyer_logon_id: '159****0000',
      trade_status: t.status,
      total_amount: fenToYuan(t.totalFen),
      ...(paid ? { buyer_pay_amount: fenToYuan(t.totalFen), receipt_amount: fenToYuan(t.totalFen), send_pay_date: alipayTime(t.paidAt) } : {}),
      ...(t.buyerId ? { buyer_user_id: t.buyerId } : { buyer_open_id: t.buyerOpenId }),
    });
  }

  close(biz: Biz): Biz {
    const t = this.find(biz);
    if (!t) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (t.status === 'TRADE_SUCCESS') return fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    t.status = 'TRADE_CLOSED';
    return ok({ trade_no: t.tradeNo, out_trade_no: t.outTradeNo });
  }

  /** Idempotent by out_request_no (a repeat answers the first result with fund_change N). */
  refund(biz: Biz): { result: Biz; created?: TradeRefund; trade?: Trade } {
    const t = this.find(biz);
    const refundFen = yuanToFen(biz.refund_amount);
    const outRequestNo = str(biz.out_request_no) ?? t?.outTradeNo;
    if (refundFen === undefined || refundFen <= 0) return { result: fail('ACQ.INVALID_PARAMETER', 'refund_amount无效', '40002', 'Invalid Arguments') };
    if (!t) return { result: fail('ACQ.TRADE_NOT_EXIST', '交易不存在') };
    const key = `${t.outTradeNo}\n${outRequestNo}`;
    const base = { trade_no: t.tradeNo, out_trade_no: t.outTradeNo, buyer_logon_id: '159****0000' };
    const prior = this.refunds.get(key);
    if (prior) {
      return { result: ok({ ...base, fund_change: 'N', refund_fee: fenToYuan(this.refunded(t.outTradeNo)), gmt_refund_pay: alipayTime(prior.at) }) };
    }
    if (!t.paidAt) return { result: fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法') };
    if (this.refunded(t.outTradeNo) + refundFen > t.totalFen) return { result: fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限') };
    const r: TradeRefund = { outRequestNo: outRequestNo as string, outTradeNo: t.outTradeNo, refundFen, reason: str(biz.refund_reason), at: new Date() };
    this.refunds.set(key, r);
    if (this.refunded(t.outTradeNo) === t.totalFen) t.status = 'TRADE_CLOSED'; // a full refund closes the trade
    return {
      result: ok({ ...base, fund_change: 'Y', refund_fee: fenToYuan(this.refunded(t.outTradeNo)), gmt_refund_pay: alipayTime(r.at) }),
      created: r,
      trade: t,
    };
  }

  /** Like Alipay: an unknown refund is a *successful* answer without refund fields. */
  refundQuery(biz: Biz): Biz {
    const t = this.find(biz);
    if (!t) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const r = this.refunds.get(`${t.outTradeNo}\n${str(biz.out_request_no) ?? t.outTradeNo}`);
    if (!r) return ok({ trade_no: t.tradeNo, out_trade_no: t.outTradeNo });
    return ok({
      trade_no: t.tradeNo, out_trade_no: t.outTradeNo, out_request_no: r.outRequestNo,
      total_amount: fenToYuan(t.totalFen), refund_amount: fenToYuan(r.refundFen),
      refund_status: 'REFUND_SUCCESS', gmt_refund_pay: alipayTime(r.at),
    });
  }

  billUrl(biz: Biz, origin: string): Biz {
    const type = str(biz.bill_type);
    const date = str(biz.bill_date);
    if (type !== 'trade' && type !== 'signcustomer') return fail('isp.bill_type_invalid', '账单类型不合法', '40004');
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return fail('isv.invalid-bill-date', '账单日期格式不正确', '40004');
    const token = randomBytes(16).toString('hex');
    this.bills.set(token, this.billCsv(date));
    return ok({ bill_download_url: `${origin}/bill/download?token=${token}&bizDates=${date.replace(/-/g, '')}` });
  }

  billFile(token: string | null): string | undefined {
    return token ? this.bills.get(token) : undefined;
  }

  /** Alipay's 业务明细 CSV (the real file is GBK inside a zip; the sandbox serves the UTF-8 CSV). */
  private billCsv(date: string): string {
    const y = fenToYuan;
    const rows: string[] = [];
    let trades = 0, refunds = 0;
    for (const t of this.trades.values()) {
      if (!t.paidAt || cstDate(t.paidAt) !== date) continue;
      trades += 1;
      rows.push([t.tradeNo, t.outTradeNo, '交易', cell(t.subject), alipayTime(t.createdAt), alipayTime(t.paidAt), '', '', '', '',
        t.buyerId ?? t.buyerOpenId ?? '', y(t.totalFen), y(t.totalFen), '0.00', '0.00', '0.00', '0.00', '0.00', '', '0.00', '0.00',
        '', `-${y(Math.round(t.totalFen * 0.006))}`, '0.00', ''].join(','));
    }
    for (const r of this.refunds.values()) {
      if (cstDate(r.at) !== date) continue;
      const t = this.trades.get(r.outTradeNo) as Trade;
      refunds += 1;
      rows.push([t.tradeNo, t.outTradeNo, '退款', cell(t.subject), alipayTime(t.createdAt), alipayTime(r.at), '', '', '', '',
        t.buyerId ?? t.buyerOpenId ?? '', `-${y(r.refundFen)}`, `-${y(r.refundFen)}`, '0.00', '0.00', '0.00', '0.00', '0.00', '',
        '0.00', '0.00', r.outRequestNo, y(Math.round(r.refundFen * 0.006)), '0.00', cell(r.reason ?? '')].join(','));
    }
    const d = date.replace(/-/g, '');
    return [
      '#支付宝业务明细查询',
      `#账号：[${this.sellerId}0156]`,
      `#起始日期：[${d.slice(0, 4)}年${d.slice(4, 6)}月${d.slice(6)}日 00:00:00]   终止日期：[${d.slice(0, 4)}年${d.slice(4, 6)}月${d.slice(6)}日 23:59:59]`,
      '#-----------------------------------------业务明细列表----------------------------------------',
      '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注',
      ...rows,
      '#-----------------------------------------业务明细列表结束------------------------------------',
      `#交易合计：${trades}笔，退款合计：${refunds}笔`,
      `#导出时间：[${alipayTime()}]`,
      '',
    ].join('\r\n');
  }
}
