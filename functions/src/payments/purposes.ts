/**
 * What is being paid for. Each purpose prices an order (never trusting a client amount, except a
 * deposit top-up inside the admission's limits), reserves what it must in the order's own write,
 * applies the payment exactly once, and releases the reservation when an order closes unpaid.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { PAYMENT_CHANNEL_LABEL, type PaymentPurpose } from '@hospital/shared';
import { conflict, invalidField, notFound } from '#lib/errors';
import { db, cancellationReasons, isTransactionCancelled } from '#lib/table';
import { appointmentForPayment, confirmAppointmentPayment } from '../booking/payment';
import * as admissions from './admissions-store';
import * as bills from './bills-store';
import { effectApplied, type OrderItem } from './orders-store';
import { ownPersons } from './person';

type TxItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface QuoteInput {
  userId: string;
  orderNo: string;
  refIds: string[];
  amount?: number;
  now: number;
}

export interface Quote {
  amount: number;
  description: string;
  patientId?: string;
  /** When the payer must have paid (never later than what is paid for allows). */
  expiresAt: number;
  /** Same-transaction writes with the order (a deposit order is registered on its admission). */
  reserve: TxItem[];
  /** Explains a refused reservation (the state changed between reading and writing). */
  refused: () => Error;
}

export type ApplyOutcome = { outcome: 'applied' | 'duplicate' | 'conflict' } | { outcome: 'rejected'; note: string };

export interface Purpose {
  quote(q: QuoteInput, ttlSeconds: number): Promise<Quote>;
  apply(o: OrderItem): Promise<ApplyOutcome>;
  /** Writes that undo the reservation when the order closes unpaid. */
  release(o: OrderItem): TxItem[];
}

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

// ---- inpatient deposits ----------------------------------------------------------------------

/** The admission if it belongs to a person on the caller's account (404 otherwise). */
export async function ownAdmission(userId: string, admissionId: string) {
  const a = /^[\w-]{1,120}$/.test(admissionId) ? await admissions.getAdmission(admissionId) : undefined;
  const person = a && (await ownPersons(userId)).find((p) => p.hash === a.personHash);
  if (!a || !person) throw notFound('住院记录不存在');
  return { admission: a, patientId: person.patient.patientId };
}

const depositPurpose: Purpose = {
  async quote({ userId, refIds, amount, orderNo, now }, ttl) {
    const { admission: a, patientId } = await ownAdmission(userId, refIds[0]);
    await admissions.follow(a.admissionId, userId, patientId);
    let due: number;
    if (a.status === 'active') {
      if (amount === undefined) throw invalidField('body.amount', '请填写预交金额');
      if (amount < a.minDeposit || amount > a.maxDeposit) {
        throw invalidField('body.amount', `预交金额须在 ¥${(a.minDeposit / 100).toFixed(2)} 至 ¥${(a.maxDeposit / 100).toFixed(2)} 之间`);
      }
      due = amount;
    } else if (a.status === 'awaiting_payment') {
      // The shortfall of a settlement: the amount is the hospital's, a client figure must agree.
      due = -a.balance;
      if (amount !== undefined && amount !== due) throw invalidField('body.amount', `需补缴 ¥${(due / 100).toFixed(2)}`);
    } else {
      throw conflict('DEPOSIT_CLOSED', '出院结算中或已结清，不能再预交押金');
    }
    return {
      amount: due,
      description: a.status === 'awaiting_payment' ? '住院费用补缴' : '住院预交金',
      patientId,
      expiresAt: now + ttl * 1000,
      reserve: [admissions.reserveDepositItem(a.admissionId, orderNo, [a.status])],
      refused: () => conflict('DEPOSIT_CLOSED', '住院账户状态已变化，请刷新'),
    };
  },
  async apply(o) {
    const r = await admissions.append(o.refIds[0], {
      entries: [{
        entryId: `DEP#${o.orderNo}`, type: 'deposit', amount: o.amount, at: o.paidAt as string,
        description: `预交押金（${PAYMENT_CHANNEL_LABEL[o.channel]}）`, orderNo: o.orderNo, channel: o.channel,
      }],
      // While settling a late top-up still counts (the settlement refunds it with the rest).
      allowed: ['active', 'settling', 'awaiting_payment'],
      settleOrder: o.orderNo,
      also: () => [effectApplied(o.orderNo)],
    });
    switch (r.outcome) {
      case 'ok':
        return { outcome: 'applied' };
      case 'duplicate':
      case 'also_failed':
        return { outcome: 'duplicate' };
      case 'conflict':
        return { outcome: 'conflict' };
      default:
        return { outcome: 'rejected', note: '住院账户已结清，预交款将原路退回' };
    }
  },
  release: (o) => [admissions.releaseDepositItem(o.refIds[0], o.orderNo)],
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
