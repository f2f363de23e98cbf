/**
 * Inpatient deposits (住院预交金) as a payment purpose: a top-up inside the admission's limits or
 * exactly the shortfall a settlement left, registered on the admission in the order's own write,
 * put on the ledger once; a paid shortfall finishes the settlement.
 */
import { PAYMENT_CHANNEL_LABEL } from '@hospital/shared';
import { conflict, invalidField, notFound } from '#lib/errors';
import { admissionChanged } from './admission-events';
import * as admissions from './admissions-store';
import { effectApplied } from './orders-store';
import { ownPersons } from './person';
import type { Purpose } from './purpose';
import { finish } from './settlement-end';

/** The admission if it belongs to a person on the caller's account (404 otherwise). */
export async function ownAdmission(userId: string, admissionId: string) {
  const a = /^[\w-]{1,120}$/.test(admissionId) ? await admissions.getAdmission(admissionId) : undefined;
  const person = a && (await ownPersons(userId)).find((p) => p.hash === a.personHash);
  if (!a || !person) throw notFound('住院记录不存在');
  return { admission: a, patientId: person.patient.patientId };
}

export const depositPurpose: Purpose = {
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
  // Tell the family; a paid shortfall completes the settlement.
  async applied(o) {
    const a = await admissions.getAdmission(o.refIds[0]);
    if (!a) return;
    if (a.status === 'awaiting_payment' && a.balance >= 0) await finish(a.admissionId);
    await admissionChanged((await admissions.getAdmission(a.admissionId)) ?? a, false);
  },
};
