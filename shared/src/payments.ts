/**
 * Payments (缴费): appointment fees, outpatient bills (门诊缴费) and inpatient deposits (住院押金).
 * Money is integer fen everywhere. Pure rules shared by the functions and the mini-program.
 */
import * as z from 'zod';

export const PaymentPurpose = z.enum(['appointment', 'bill', 'deposit']);
export type PaymentPurpose = z.infer<typeof PaymentPurpose>;
export const PAYMENT_PURPOSE_LABEL: Record<PaymentPurpose, string> = { appointment: '挂号费', bill: '门诊缴费', deposit: '住院押金' };

export const PaymentChannel = z.enum(['wechat', 'alipay']);
export type PaymentChannel = z.infer<typeof PaymentChannel>;
export const PAYMENT_CHANNEL_LABEL: Record<PaymentChannel, string> = { wechat: '微信支付', alipay: '支付宝' };

/** What the provider says about the money: only a verified notification or an active query moves it. */
export const OrderStatus = z.enum(['pending', 'paid', 'closed']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/**
 * What the payment result page shows (it polls `GET /v1/payments/{orderNo}` until `final`):
 *   pending     not confirmed yet (正在向银行确认支付结果)
 *   processing  paid; the bill/deposit/appointment is being updated (a moment)
 *   succeeded   paid and applied
 *   refunding   paid but could not be applied (the hold expired, the bill was paid twice): refund under way
 *   refunded    that refund has reached the payer
 *   closed      not paid, the order is closed (expired or cancelled)
 */
export const PaymentResult = z.enum(['pending', 'processing', 'succeeded', 'refunding', 'refunded', 'closed']);
export type PaymentResult = z.infer<typeof PaymentResult>;
export const PAYMENT_RESULT_LABEL: Record<PaymentResult, string> = {
  pending: '正在向银行确认支付结果，请稍候',
  processing: '支付成功，正在处理',
  succeeded: '支付成功',
  refunding: '支付成功，但业务已失效，款项将原路退回',
  refunded: '款项已原路退回',
  closed: '订单已关闭，未扣款',
};
export const isFinalResult = (r: PaymentResult) => r !== 'pending' && r !== 'processing' && r !== 'refunding';

export const RefundStatus = z.enum(['requested', 'processing', 'succeeded', 'failed']);
export type RefundStatus = z.infer<typeof RefundStatus>;
export const REFUND_STATUS_LABEL: Record<RefundStatus, string> = {
  requested: '退款申请中',
  processing: '退款处理中',
  succeeded: '已退款',
  failed: '退款失败，请联系收费处',
};

export const BillStatus = z.enum(['unpaid', 'paid', 'cancelled']);
export type BillStatus = z.infer<typeof BillStatus>;

/**
 * An admission's account:
 *   active → (cashier/nurse settles) settling → settled            balance refunded (or zero)
 *                                             → awaiting_payment   family pays the shortfall → settled
 */
export const AdmissionStatus = z.enum(['active', 'settling', 'awaiting_payment', 'settled']);
export type AdmissionStatus = z.infer<typeof AdmissionStatus>;
export const ADMISSION_STATUS_LABEL: Record<AdmissionStatus, string> = {
  active: '在院',
  settling: '出院结算中',
  awaiting_payment: '待补缴费用',
  settled: '已结清出院',
};

/**
 * Signed amounts: + deposit, refund_reversal (a refund the provider refused comes back),
 * charge_reversal (冲红: a correction of a charge, referring to it; never more than the charge);
 * − charge, refund.
 */
export const LedgerEntryType = z.enum(['deposit', 'charge', 'refund', 'refund_reversal', 'charge_reversal']);
export type LedgerEntryType = z.infer<typeof LedgerEntryType>;
export const LEDGER_ENTRY_LABEL: Record<LedgerEntryType, string> = {
  deposit: '预交押金',
  charge: '住院费用',
  refund: '押金退款',
  refund_reversal: '退款失败冲回',
  charge_reversal: '费用冲红',
};

/** Deposit defaults when the hospital system does not send its own (fen). */
export const DEPOSIT_DEFAULTS = { min: 10_000, max: 5_000_000, lowBalanceThreshold: 100_000 } as const;
/** Preset top-up amounts the 住院押金 page offers (fen); the custom amount must lie in [min, max]. */
export const DEPOSIT_PRESETS = [100_000, 200_000, 500_000, 1_000_000] as const;

export function depositPresets(min: number, max: number): number[] {
  return DEPOSIT_PRESETS.filter((p) => p >= min && p <= max);
}

/** Orders a client can pay at once; a DynamoDB transaction credits all of them. */
export const MAX_BILLS_PER_ORDER = 20;
/** Largest single amount we accept anywhere (fen): ¥1,000,000. */
export const MAX_AMOUNT = 100_000_000;

/** One sum of integer fen; throws on anything that is not (a bug, never client input). */
export function sumFen(values: readonly number[]): number {
  let s = 0;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError('amount must be an integer of fen');
    s += v;
  }
  return s;
}

/**
 * Discharge refund split. The balance goes back NEWEST DEPOSIT FIRST (by the order the ledger
 * counted them): a recent payment is the one most surely inside the providers' refund window
 * (WeChat Pay one year, Alipay per contract, often three months) and on a card the family still
 * holds; a long stay's first deposit is the one most likely to be refused. Never more than is
 * left on a deposit (its amount minus what was already refunded from it).
 */
export function planDepositRefunds(
  balance: number,
  deposits: readonly { orderNo: string; seq: number; refundable: number }[],
): { orderNo: string; amount: number }[] {
  let left = Math.max(0, balance);
  const order = [...deposits].sort((a, b) => b.seq - a.seq);
  const plan: { orderNo: string; amount: number }[] = [];
  for (const d of order) {
    if (left === 0) break;
    const amount = Math.min(left, d.refundable);
    if (amount > 0) {
      plan.push({ orderNo: d.orderNo, amount });
      left -= amount;
    }
  }
  return plan;
}
