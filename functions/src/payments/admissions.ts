/**
 * Inpatient accounts (住院押金): what the family sees, charges posted by the hospital system or a
 * cashier, the low-balance reminder, and the discharge settlement entry point.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import {
  ADMISSION_STATUS_LABEL, DEPOSIT_DEFAULTS, depositPresets, LEDGER_ENTRY_LABEL, localDate, type AdmissionStatus, type AdmissionView, type ChargeInput,
  type OrgRole, type HisAdmission, type LedgerEntryView,
} from '@hospital/shared';
import { orgsWithRole, requireOrgRole } from '#lib/authority';
import { conflict, forbidden, HttpError, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import { admissionChanged } from './admission-events';
import * as store from './admissions-store';
import type { AdmissionItem, LedgerEntry } from './admissions-store';
import { getRefund } from './orders-store';
import { maskedId, ownPersons, personHash } from './person';
import { ownAdmission } from './deposit';
import { settle } from './settlement';
import { finish } from './settlement-end';
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
      ...(e.type === 'charge' ? { chargeId: chargeIdOf(e), ...(e.reversed ? { reversed: e.reversed } : {}) } : {}),
      ...(e.reverses ? { reverses: e.reverses } : {}),
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

const WARD_STAFF = ['nurse', 'cashier', 'admin'] as const;
const BILLING_STAFF = ['cashier', 'nurse'] as const;

/** Staff see only their own hospitals' admissions: another hospital's is not found. */
async function staffAdmission(p: Principal, id: string, roles: readonly OrgRole[] = WARD_STAFF): Promise<AdmissionItem> {
  const a = /^[\w-]{1,120}$/.test(id) ? await store.getAdmission(id) : undefined;
  requireOrgRole(p, a?.orgId, roles, '住院记录不存在');
  return a!;
}

export async function get(p: Principal, id: string): Promise<AdmissionView> {
  if (isStaff(p)) return view(await staffAdmission(p, id), { ledger: true });
  const { admission, patientId } = await ownAdmission(p.userId, id);
  await store.follow(admission.admissionId, p.userId, patientId);
  return view(admission, { patientId, ledger: true });
}

export async function staffList(p: Principal, status?: AdmissionStatus) {
  const orgs = orgsWithRole(p, ...WARD_STAFF);
  if (!orgs.length) throw forbidden('账号未分配医院');
  const items = (await Promise.all(orgs.map((o) => store.listForOrg(o, status)))).flat();
  return { items: await Promise.all(items.map((a) => view(a))) };
}

export type ChargeOutcome = 'posted' | 'duplicate' | 'closed' | 'missing' | Refusal;
/** Why a correction (冲红) was refused: no such charge, a correction named, or more than is left. */
export type Refusal = 'charge_not_found' | 'not_reversible' | 'exceeds';

export const REFUSALS: Record<Refusal, { code: string; message: string }> = {
  charge_not_found: { code: 'CHARGE_NOT_FOUND', message: '要冲红的原费用不存在（须为本住院账户的费用单号）' },
  not_reversible: { code: 'CHARGE_NOT_REVERSIBLE', message: '冲红记录不能再次冲红，请冲红原费用' },
  exceeds: { code: 'REVERSAL_EXCEEDS_CHARGE', message: '冲红金额超过原费用尚未冲红的金额' },
};

const chargeEntryId = (by: string, chargeId: string) => `CHG#${by}#${chargeId}`;
/** The charge id of a charge or correction entry (older entries carry it only in the entry id). */
export const chargeIdOf = (e: Pick<LedgerEntry, 'entryId' | 'chargeId'>) => e.chargeId ?? e.entryId.split('#').slice(2).join('#');
/** The charge as it was entered (`2025-06-02 CT 检查` → `CT 检查`). */
const bareDescription = (e: LedgerEntry) => (e.chargeDate && e.description.startsWith(`${e.chargeDate} `) ? e.description.slice(e.chargeDate.length + 1) : e.description);

/**
 * The charge a correction names. The HIS corrects its own charges; staff theirs first, then the
 * hospital system's (a cashier correcting a wrong HIS charge at the window).
 */
async function findCharge(a: AdmissionItem, by: string, chargeId: string): Promise<LedgerEntry | undefined> {
  const spaces = by === 'staff' ? ['staff', `his:${a.source}`] : [by];
  for (const space of spaces) {
    const e = await store.entryById(a.admissionId, chargeEntryId(space, chargeId));
    if (e) return e;
  }
  return undefined;
}

/** What a correction's refusal is, from the charge as it is now (only ever more reversed). */
function refusalOf(charge: LedgerEntry | undefined, amount: number): Refusal | undefined {
  if (!charge) return 'charge_not_found';
  if (charge.type !== 'charge') return 'not_reversible';
  if ((charge.reversed ?? 0) + amount > -charge.amount) return 'exceeds';
  return undefined;
}

/**
 * One charge, or one correction (冲红, `reverses`), once per charge id (a re-sent one is a
 * duplicate). A correction is one transaction: its entry, and the charge's `reversed` raised under
 * the condition that it stays within the charge (see reverseChargeItem).
 */
export async function postCharge(admissionId: string, c: Charge & { chargeId: string }, by: string): Promise<ChargeOutcome> {
  const date = c.date ?? localDate();
  const entryId = chargeEntryId(by, c.chargeId);
  let entry: store.NewEntry = { entryId, type: 'charge', amount: -c.amount, at: stamp(), description: `${date} ${c.description}`, by, chargeDate: date, chargeId: c.chargeId };
  let original: LedgerEntry | undefined;
  if (c.reverses) {
    const a = await store.getAdmission(admissionId);
    if (!a) return 'missing';
    if (a.status === 'settled') return 'closed';
    if ((await store.existingEntries(admissionId, [entryId])).size) return 'duplicate';
    original = await findCharge(a, by, c.reverses);
    // Only what never changes is decided here (no such charge, a correction named); the amount
    // left is the transaction's condition.
    const refused = refusalOf(original, 0);
    if (refused || !original) return refused ?? 'charge_not_found';
    const what = bareDescription(original);
    entry = {
      ...entry, type: 'charge_reversal', amount: c.amount,
      description: `${LEDGER_ENTRY_LABEL.charge_reversal}：${what}${c.description !== what ? `（${c.description}）` : ''}`,
      reverses: c.reverses, reversesEntry: original.entryId,
    };
  }
  const charge = original;
  const r = await store.append(admissionId, {
    entries: [entry],
    allowed: ['active', 'settling', 'awaiting_payment'],
    ...(charge ? { also: () => [store.reverseChargeItem(admissionId, charge, c.amount)] } : {}),
  });
  if (r.outcome === 'ok') {
    // A correction that covers what the family still owes completes the settlement, as a deposit would.
    if (charge && r.after.status === 'awaiting_payment' && r.after.balance >= 0) await finish(admissionId);
    await admissionChanged(r.after, r.remind);
    return 'posted';
  }
  if (r.outcome === 'duplicate') return 'duplicate';
  if (r.outcome === 'missing') return 'missing';
  if (r.outcome === 'refused') return 'closed';
  if (r.outcome === 'also_failed' && charge) return refusalOf(await store.entryById(admissionId, charge.entryId), c.amount) ?? 'exceeds';
  throw new Error(`charge not posted: ${r.outcome}`);
}

/**
 * A cashier's or nurse's charges and corrections, in order. The corrections are checked against
 * the ledger first, all of them together, so a request with one that cannot be made writes
 * nothing (409); each write then enforces its own rule again (a race refuses it there).
 */
async function postStaffCharges(a: AdmissionItem, charges: Charge[]) {
  const items = charges.map((c) => ({ ...c, chargeId: c.chargeId ?? randomUUID() }));
  const fresh = await store.existingEntries(a.admissionId, items.map((c) => chargeEntryId('staff', c.chargeId)));
  const taken = new Map<string, number>();
  for (const [i, c] of items.entries()) {
    if (!c.reverses || fresh.has(chargeEntryId('staff', c.chargeId))) continue;
    // A charge posted earlier in this request can be corrected later in it.
    const earlier = items.slice(0, i).find((x) => !x.reverses && x.chargeId === c.reverses);
    const charge = earlier ? undefined : await findCharge(a, 'staff', c.reverses);
    const charged = earlier ? earlier.amount : charge && charge.type === 'charge' ? -charge.amount - (charge.reversed ?? 0) : 0;
    const refused = earlier ? undefined : refusalOf(charge, 0);
    const soFar = (taken.get(c.reverses) ?? 0) + c.amount;
    taken.set(c.reverses, soFar);
    const why = refused ?? (soFar > charged ? 'exceeds' : undefined);
    if (why) throw refusal(why, i);
  }
  for (const [i, c] of items.entries()) {
    const out = await postCharge(a.admissionId, c, 'staff');
    if (out === 'closed') throw conflict('ADMISSION_SETTLED', '已结清的住院账户不能再记账');
    if (out in REFUSALS) throw refusal(out as Refusal, i);
  }
}

const refusal = (why: Refusal, i: number) =>
  new HttpError(409, REFUSALS[why].code, REFUSALS[why].message, [{ path: `body.charges.${i}.reverses`, message: REFUSALS[why].message }]);

export async function staffCharges(p: Principal, id: string, charges: Charge[]) {
  const a = await staffAdmission(p, id, BILLING_STAFF);
  await postStaffCharges(a, charges);
  logger.info('charges posted', { admission: id, count: charges.length, corrections: charges.filter((c) => c.reverses).length, by: p.userId });
  return view((await store.getAdmission(id)) as AdmissionItem, { ledger: true });
}

const SETTLE_MESSAGES = {
  settled: '结算完成，押金余额已退回',
  refunding: '结算完成，押金余额正在原路退回',
  awaiting_payment: '费用超出押金，请家属补缴差额',
  confirming_payments: '正在与支付机构确认未完成的预交款，请稍后再次结算',
} as const;

export async function staffSettle(p: Principal, id: string, charges: Charge[]) {
  const a = await staffAdmission(p, id, BILLING_STAFF);
  if (a.status === 'settled' && charges.length) throw conflict('ADMISSION_SETTLED', '已结清的住院账户不能再记账');
  await postStaffCharges(a, charges);
  const r = await settle(a);
  const after = (await store.getAdmission(id)) as AdmissionItem;
  const v = await view(after, { ledger: true });
  const refunds = v.settlement?.refunds ?? [];
  // A repeated call on a settled account reports where its refunds are.
  const outcome = r.outcome === 'settled' && refunds.some((x) => x.status !== 'succeeded') ? 'refunding' : r.outcome;
  await admissionChanged(after, false);
  logger.info('settlement', { admission: id, outcome, by: p.userId });
  return { outcome, message: SETTLE_MESSAGES[outcome], refunds, ...(v.shortfall !== undefined ? { shortfall: v.shortfall } : {}), admission: v };
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
