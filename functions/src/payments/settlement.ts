/**
 * Discharge settlement (出院结算), by a cashier or nurse:
 *   1. the account stops taking top-ups (active → settling);
 *   2. the final charges are posted;
 *   3. every deposit order still open is settled with its provider (paid → counted, else closed);
 *   4. balance > 0: refunded across the original deposits, NEWEST FIRST (see planDepositRefunds
 *      in shared/src/payments.ts), refund entries and refunds written in the same transaction as
 *      the move to `settled`; balance < 0: `awaiting_payment`, the family pays the shortfall
 *      (a deposit order of exactly that amount), which settles it; balance = 0: settled.
 * Every step is safe to repeat: a settlement interrupted anywhere is finished by calling it again.
 */
import { logger } from '#lib/logger';
import * as admissions from './admissions-store';
import type { AdmissionItem } from './admissions-store';
import { finish, type SettleOutcome } from './settlement-end';
import { settleOrder } from './sweep';

/** Settles every deposit order still open on the account; false if a provider could not answer. */
export async function resolvePendingDeposits(a: AdmissionItem): Promise<boolean> {
  let allDone = true;
  for (const orderNo of a.pendingOrders ?? []) {
    const s = await settleOrder(orderNo, { force: true });
    if (s === 'pending' || s === 'unavailable') allDone = false;
  }
  return allDone;
}

/** Steps 1–3 then 4. */
export async function settle(a: AdmissionItem): Promise<{ outcome: SettleOutcome; refundNos: string[] }> {
  if (a.status === 'active') {
    const r = await admissions.setStatus(a.admissionId, ['active'], 'settling');
    if (r.outcome === 'ok') logger.info('settlement started', { admission: a.admissionId });
  }
  const now = (await admissions.getAdmission(a.admissionId)) as AdmissionItem;
  if (now.status === 'settling' && !(await resolvePendingDeposits(now))) return { outcome: 'confirming_payments', refundNos: [] };
  return finish(a.admissionId);
}
