/** What is being paid for: outpatient bills, appointment fees and (./deposit.ts) inpatient deposits. */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentPurpose } from '@hospital/shared';
import { conflict, invalidField, notFound } from '#lib/errors';
import { db, cancellationReasons, isTransactionCancelled } from '#lib/table';
import { appointmentForPayment, confirmAppointmentPayment } from '../booking/payment';
import * as bills from './bills-store';
import { depositPurpose } from './deposit';
import { effectApplied } from './orders-store';
import { ownPersons } from './person';
import type { Purpose } from './purpose';

export type { ApplyOutcome, Purpose, Quote, QuoteInput } from './purpose';

// ---- outpatient bills ------------------------------------------------------------------------

const billPurpose: Purpose = {
  async quote({ userId, refIds, now }, ttl) {
    const unique = [...new Set(refIds)];
    const found = await bills.getBills(unique);
    const persons = await ownPersons(userId);
    for (const [i, id] of unique.entries()) {
      const b = found.find((x) => x.billId === id);
      // Someone else's bill reads as missing: ids cannot be probed.
      if (!b || !persons.some((p) => p.hash === b.personHash)) throw notFound(`账单不存在（第${i + 1}张）`);
    }
    if (new Set(found.map((b) => b.personHash)).size > 1) throw invalidField('body.refIds', '一次只能为一位就诊人缴费');
    const paid = found.find((b) => b.status !== 'unpaid');
    if (paid) throw conflict('ALREADY_PAID', paid.status === 'paid' ? '账单已支付，请刷新' : '账单已作废');
    const person = persons.find((p) => p.hash === found[0].personHash);
    return {
      amount: found.reduce((s, b) => s + b.total, 0),
      // What the payer's WeChat/Alipay bill shows: no name, department or diagnosis leaves the hospital.
      description: `门诊缴费（${found.length}张账单）`,
      patientId: person?.patient.patientId,
      expiresAt: now + ttl * 1000,
      reserve: [],
      refused: () => conflict('ALREADY_PAID', '账单状态已变化，请刷新'),
    };
  },
  async apply(o) {
    const list = await bills.getBills(o.refIds);
    if (list.length !== o.refIds.length) return { outcome: 'rejected', note: '账单已不存在' };
    try {
      await db.send(new TransactWriteCommand({ TransactItems: [effectApplied(o.orderNo), ...list.map((b) => bills.payBillItem(b, o.orderNo, o.paidAt as string))] }));
      return { outcome: 'applied' };
    } catch (e) {
      if (!isTransactionCancelled(e)) throw e;
      const [order, ...rest] = cancellationReasons(e);
      if (order === 'ConditionalCheckFailed') return { outcome: 'duplicate' };
      if (rest.includes('ConditionalCheckFailed')) return { outcome: 'rejected', note: '账单已由其他订单支付或已作废' };
      return { outcome: 'conflict' };
    }
  },
  release: () => [],
};

// ---- appointment fees (booking decides; see functions/src/booking/payment.ts) ----------------

const appointmentPurpose: Purpose = {
  async quote({ userId, refIds, now }, ttl) {
    const c = await appointmentForPayment(userId, refIds[0], now);
    return {
      amount: c.amount,
      description: c.description,
      patientId: c.patientId,
      // The provider refuses payment after the hold ends, so a late payment is rare (and refunded).
      expiresAt: Math.min(now + ttl * 1000, Date.parse(c.holdExpiresAt)),
      reserve: [],
      refused: () => conflict('APPOINTMENT_NOT_PAYABLE', '预约状态已变化，请刷新'),
    };
  },
  async apply(o) {
    const r = await confirmAppointmentPayment(o.refIds[0], { orderNo: o.orderNo, paidAt: o.paidAt });
    if (r.outcome === 'refund_required') return { outcome: 'rejected', note: '预约已失效（支付超时、已取消或停诊），挂号费将原路退回' };
    // Booking's write is idempotent per order; ours follows (the sweep repeats both after a crash).
    return { outcome: 'duplicate' };
  },
  release: () => [],
};

export const purposes: Record<PaymentPurpose, Purpose> = { bill: billPurpose, deposit: depositPurpose, appointment: appointmentPurpose };
