/**
 * What the payment result page says for an order the server reports. The client's own "paid"
 * never counts: only `result` from `GET /v1/payments/{orderNo}` moves the page to 支付成功.
 */
import type { PaymentOrderView, PaymentPurpose } from '@hospital/shared';

export type ResultTone = 'wait' | 'ok' | 'warn' | 'over';

export interface ResultScreen {
  tone: ResultTone;
  title: string;
  text: string;
  /** The order can still be paid: offer 继续支付 (same order, no second charge). */
  canContinue: boolean;
  /** The order is over unpaid: offer to start again from the bill / deposit / appointment. */
  canStartAgain: boolean;
  /** Still waiting for the bank: show the 正在核对 indicator. */
  checking: boolean;
}

type Order = Pick<PaymentOrderView, 'result' | 'resultMessage' | 'pay'>;

export function resultScreen(o: Order, ctx: { cancelled?: boolean; gaveUp?: boolean } = {}): ResultScreen {
  const base = { canContinue: false, canStartAgain: false, checking: false };
  switch (o.result) {
    case 'pending':
      if (ctx.cancelled) {
        return { ...base, tone: 'over', title: '您已取消支付', text: '本次没有扣款。您可以继续支付，或稍后再缴。', canContinue: !!o.pay };
      }
      if (ctx.gaveUp) {
        return {
          ...base, tone: 'wait', title: '支付结果确认中', canContinue: false, checking: false,
          text: '银行还在处理，可能需要几分钟。如已扣款请勿重复支付，稍后点“刷新”查看，结果以医院确认为准。',
        };
      }
      return { ...base, tone: 'wait', title: '支付结果确认中，正在与银行核对', text: '请稍候，不要重复支付。', checking: true };
    case 'processing':
      return { ...base, tone: 'wait', title: '支付成功，正在处理', text: '医院正在登记这笔款项，请稍候。', checking: true };
    case 'succeeded':
      return { ...base, tone: 'ok', title: '支付成功', text: '医院已确认收到这笔款项。' };
    case 'refunding':
      return { ...base, tone: 'warn', title: '支付成功，款项将原路退回', text: o.resultMessage, checking: true };
    case 'refunded':
      return { ...base, tone: 'warn', title: '款项已原路退回', text: o.resultMessage };
    case 'closed':
    default:
      return { ...base, tone: 'over', title: '订单已关闭，未扣款', text: '订单已超时或已取消，没有扣款。如需缴费，请重新发起。', canStartAgain: true };
  }
}

/** The way back to what was paid for. */
export const NEXT_STEP: Record<PaymentPurpose, { done: string; again: string }> = {
  deposit: { done: '返回住院押金', again: '重新预交' },
  bill: { done: '返回门诊缴费', again: '重新缴费' },
  appointment: { done: '查看预约详情', again: '返回预约详情' },
};
