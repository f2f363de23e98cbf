/**
 * Inpatient accounts (住院押金): what the family sees, charges posted by the hospital system or a
 * cashier, the low-balance reminder, and the discharge settlement entry point.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import {
  ADMISSION_STATUS_LABEL, DEPOSIT_DEFAULTS, depositPresets, localDate, type AdmissionStatus, type AdmissionView, type ChargeInput,
  type HisAdmission, type LedgerEntryView,
} from '@hospital/shared';
import { conflict, forbidden, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { publish, userTopic } from '#lib/realtime';
import type { Principal } from '#lib/tokens';
import * as store from './admissions-store';
import type { AdmissionItem } from './admissions-store';
import { getRefund } from './orders-store';
import { maskedId, ownPersons, personHash } from './person';
import { ownAdmission } from './purposes';
import { finish, settle } from './settlement';
import { stamp } from './util';

type Charge = z.output<typeof ChargeInput>;

export async function view(a: AdmissionItem, opts: { patientId?: string; ledger?: boolean } = {}): Promise<AdmissionView> {
  const open = a.status === 'active' || a.status === 'awaiting_payment';
  const shortfall = a.status === 'awaiting_payment' ? -a.balance : undefined;
  const out: AdmissionView = {
    id: a.admissionId,
    ...(opts.patientId ? { patientId: opts.patientId } : {}),
    patientName: a.patientName,
    idNumberMasked: a.idMasked,
    orgId: a.orgId,
    hisAdmissionNo: a.hisAdmissionNo,
    ward: a.ward,
    bed: a.bed,
    admittedAt: a.admittedAt,
    ...(a.dischargedAt ? { dischargedAt: a.dischargedAt } : {}),
    status: a.status,
    statusLabel: ADMISSION_STATUS_LABEL[a.status],
    totalDeposited: a.totalDeposited,
    totalCharged: a.totalCharged,
    totalRefunded: a.totalRefunded,
    balance: a.balance,
    lowBalanceThreshold: a.lowBalanceThreshold,
    lowBalance: a.status === 'active' && a.balance < a.lowBalanceThreshold,
    ...(shortfall !== undefined ? { shortfall } : {}),
    deposit: { min: a.minDeposit, max: a.maxDeposit, presets: shortfall !== undefined ? [shortfall] : depositPresets(a.minDeposit, a.maxDeposit), open },
  };
  if (opts.ledger) {
    const entries = await store.ledger(a.admissionId);
    const refunds = new Map(
      (await Promise.all(entries.filter((e) => e.type === 'refund' && e.refundNo && e.orderNo).map((e) => getRefund(e.orderNo as string, e.refundNo as string))))
        .flatMap((r) => (r ? [[r.refundNo, r] as const] : [])),
    );
    out.ledger = entries.map((e): LedgerEntryView => ({
      seq: e.seq, type: e.type, amount: e.amount, balanceAfter: e.balanceAfter, at: e.at, description: e.description,
      ...(e.orderNo ? { orderNo: e.orderNo } : {}), ...(e.channel ? { channel: e.channel } : {}), ...(e.refundNo ? { refundNo: e.refundNo } : {}),
      ...(e.refundNo && refunds.get(e.refundNo) ? { refundStatus: refunds.get(e.refundNo)?.status } : {}),
    }));
    const settlementRefunds = entries.filter((e) => e.type === 'refund' && e.refundNo).map((e) => ({
      refundNo: e.refundNo as string, orderNo: e.orderNo as string, channel: e.channel ?? 'wechat', amount: -e.amount,
      status: refunds.get(e.refundNo as string)?.status ?? 'requested',
    }));
    if (a.status !== 'active' || settlementRefunds.length) out.settlement = { ...(a.settledAt ? { settledAt: a.settledAt } : {}), refunds: settlementRefunds };
  }
  return out;
}

/** Admissions of the people on the account; the account follows them (reminders). */
export async function mine(userId: string) {
  const items: AdmissionView[] = [];
  for (const p of await ownPersons(userId)) {
    for (const a of await store.listForPerson(p.hash)) {
      await store.follow(a.admissionId, userId, p.patient.patientId);
      items.push(await view(a, { patientId: p.patient.patientId }));
    }
  }
  items.sort((x, y) => y.admittedAt.localeCompare(x.admittedAt));
  return { items };
}

const isStaff = (p: Principal) => p.roles.some((r) => r === 'nurse' || r === 'cashier' || r === 'admin');

/** Staff see their own hospital's admissions (admins without a hospital see all). */
async function staffAdmission(p: Principal, id: string): Promise<AdmissionItem> {
  const a = /^[\w-]{1,120}$/.test(id) ? await store.getAdmission(id) : undefined;
  if (!a) throw notFound('住院记录不存在');
  if (p.orgId && p.orgId !== a.orgId) throw forbidden('不是本院的住院记录');
  return a;
}

export async function get(p: Principal, id: string): Promise<AdmissionView> {
  if (isStaff(p)) return view(await staffAdmission(p, id), { ledger: true });
  const { admission, patientId } = await ownAdmission(p.userId, id);
  await store.follow(admission.admissionId, p.userId, patientId);
  return view(admission, { patientId, ledger: true });
}

export async function staffList(p: Principal, status?: AdmissionStatus) {
  if (!p.orgId) throw forbidden('账号未分配医院');
  return { items: await Promise.all((await store.listForOrg(p.orgId, status)).map((a) => view(a))) };
}

/** Live update to the family; the reminder when a charge took the balance under the line. */
async function changed(after: AdmissionItem, remind: boolean) {
  const fans = await store.followers(after.admissionId);
  const topics = fans.map((f) => userTopic(f.userId));
  await publish(topics, { type: 'admission.updated', data: { admissionId: after.admissionId, balance: after.balance, status: after.status } });
  if (remind) {
    // TODO(notifier): a 'deposit_low_balance' template in lib/notifier.ts (it takes appointment
    // messages only today); until then the family gets the live message and the page's flag.
    logger.info('low balance reminder', { admission: after.admissionId, followers: fans.length });
    await publish(topics, { type: 'admission.low_balance', data: { admissionId: after.admissionId, balance: after.balance, threshold: after.lowBalanceThreshold } });
  }
}

export type ChargeOutcome = 'posted' | 'duplicate' | 'closed' | 'missing';

/** One charge, once per charge id (a re-sent charge is a duplicate). */
export async function postCharge(admissionId: string, c: Charge & { chargeId: string }, by: string): Promise<ChargeOutcome> {
  const date = c.date ?? localDate();
  const r = await store.append(admissionId, {
    entries: [{ entryId: `CHG#${by}#${c.chargeId}`, type: 'charge', amount: -c.amount, at: stamp(), description: `${date} ${c.description}`, by, chargeDate: date }],
    allowed: ['active', 'settling', 'awaiting_payment'],
  });
  if (r.outcome === 'ok') {
    await changed(r.after, r.remind);
    return 'posted';
  }
  if (r.outcome === 'duplicate') return 'duplicate';
  if (r.outcome === 'missing') return 'missing';
  if (r.outcome === 'refused') return 'closed';
  throw new Error(`charge not posted: ${r.outcome}`);
}

export async function staffCharges(p: Principal, id: string, charges: Charge[]) {
  await staffAdmission(p, id);
  for (const c of charges) {
    const out = await postCharge(id, { ...c, chargeId: c.chargeId ?? randomUUID() }, 'staff');
    if (out === 'closed') throw conflict('ADMISSION_SETTLED', '已结清的住院账户不能再记账');
  }
  logger.info('charges posted', { admission: id, count: charges.length, by: p.userId });
  return view((await store.getAdmission(id)) as AdmissionItem, { ledger: true });
}

const SETTLE_MESSAGES = {
  settled: '结算完成，押金余额已退回',
  refunding: '结算完成，押金余额正在原路退回',
  awaiting_payment: '费用超出押金，请家属补缴差额',
  confirming_payments: '正在与支付机构确认未完成的预交款，请稍后再次结算',
} as const;

export async function staffSettle(p: Principal, id: string, charges: Charge[]) {
  const a = await staffAdmission(p, id);
  if (a.status === 'settled' && charges.length) throw conflict('ADMISSION_SETTLED', '已结清的住院账户不能再记账');
  for (const c of charges) await postCharge(id, { ...c, chargeId: c.chargeId ?? randomUUID() }, 'staff');
  const r = await settle(a);
  const after = (await store.getAdmission(id)) as AdmissionItem;
  const v = await view(after, { ledger: true });
  const refunds = v.settlement?.refunds ?? [];
  // A repeated call on a settled account reports where its refunds are.
  const outcome = r.outcome === 'settled' && refunds.some((x) => x.status !== 'succeeded') ? 'refunding' : r.outcome;
  await changed(after, false);
  logger.info('settlement', { admission: id, outcome, by: p.userId });
  return { outcome, message: SETTLE_MESSAGES[outcome], refunds, ...(v.shortfall !== undefined ? { shortfall: v.shortfall } : {}), admission: v };
}

/** After a deposit is on the ledger: tell the family; a paid shortfall completes the settlement. */
export async function depositCounted(admissionId: string) {
  const a = await store.getAdmission(admissionId);
  if (!a) return;
  if (a.status === 'awaiting_payment' && a.balance >= 0) await finish(admissionId);
  await changed((await store.getAdmission(admissionId)) ?? a, false);
}

// ---- from the hospital system ----------------------------------------------------------------

export const admissionIdOf = (source: string, admissionNo: string) => `adm-${source}-${admissionNo}`;

export async function upsertAdmission(source: string, orgId: string, h: z.output<typeof HisAdmission>): Promise<'created' | 'updated' | 'unchanged'> {
  const now = stamp();
  const id = admissionIdOf(source, h.admissionNo);
  const min = h.minDeposit ?? DEPOSIT_DEFAULTS.min;
  const out = await store.putAdmission({
    admissionId: id, source, hisAdmissionNo: h.admissionNo, orgId, personHash: personHash(h.idNumber), patientName: h.patientName,
    idMasked: maskedId(h.idNumber), ward: h.ward, bed: h.bed, admittedAt: h.admittedAt, status: 'active', seq: 0, balance: 0,
    totalDeposited: 0, totalCharged: 0, totalRefunded: 0, minDeposit: min, maxDeposit: Math.max(min, h.maxDeposit ?? DEPOSIT_DEFAULTS.max),
    lowBalanceThreshold: h.lowBalanceThreshold ?? DEPOSIT_DEFAULTS.lowBalanceThreshold, createdAt: now, updatedAt: now,
  });
  if (out === 'created') return 'created';
  return (await store.moveBed(id, h.ward, h.bed, now)) ? 'updated' : 'unchanged';
}
