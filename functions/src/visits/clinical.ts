/**
 * What doctors write during a visit: notes (病历 / 会诊意见), e-prescriptions (电子处方) that a
 * pharmacist reviews before they are billed, and doctor's orders (医嘱: tests), billed at once.
 * Prices come from the shared formulary and test catalogue, never from the client.
 */
import { randomBytes } from 'node:crypto';
import {
  drugByCode,
  DRUG_ROUTE_LABEL,
  localDate,
  testByCode,
  toLocalIso,
  VISIT_STATUS_LABEL,
  type NoteInput,
  type OrderRequest,
  type PrescribeRequest,
  type ReviewRequest,
} from '@hospital/shared';
import type * as z from 'zod';
import { orgsWithRole, requireOrgRole } from '#lib/authority';
import { conflict, forbidden, HttpError, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { publish, userTopic } from '#lib/realtime';
import type { Principal } from '#lib/tokens';
import { getPatient } from '../patients/service';
import { authorizeStaffRead } from '../records/access';
import { healthSummary } from '../records/service';
import { billOrder, billPrescription, billsOf } from './billing';
import { loadVisit } from './service';
import * as store from './store';
import { noteView, orderView, prescriptionView } from './view';

/** Notes and prescriptions may still be written this long after the visit ended. */
export const WRITE_AFTER_END_HOURS = 24;

const shortId = (prefix: string) => `${prefix}-${randomBytes(9).toString('hex')}`;

/** A participating doctor, on a visit that has started and not been closed for long. */
async function writableVisit(p: Principal, visitId: string) {
  const { visit, me } = await loadVisit(p, visitId);
  if (me.role === 'patient') throw forbidden('只有参与医生可以书写');
  const late = visit.status === 'ended' && Date.now() - Date.parse(visit.endedAt ?? visit.updatedAt) > WRITE_AFTER_END_HOURS * 3600_000;
  if (!['waiting', 'in_progress', 'ended'].includes(visit.status) || late) {
    throw conflict('VISIT_NOT_WRITABLE', `问诊${VISIT_STATUS_LABEL[visit.status]}，不能书写病历或处方`);
  }
  return { visit, me };
}

const tellPatient = (v: store.VisitItem, type: string) => publish([userTopic(v.accountUserId)], { type: 'visit', data: { visitId: v.id, what: type } });

export async function addNote(p: Principal, visitId: string, body: z.output<typeof NoteInput>) {
  const { visit, me } = await writableVisit(p, visitId);
  const n: store.NoteItem = {
    noteId: shortId('note'),
    visitId: visit.id,
    authorId: p.userId,
    authorName: me.title ? `${me.name} ${me.title}` : me.name,
    authorRole: me.role,
    ...Object.fromEntries(Object.entries(body).filter(([, v]) => v)),
    createdAt: toLocalIso(Date.now()),
  };
  await store.putNote(n);
  logger.info('visit note', { visit: visit.id, note: n.noteId });
  await tellPatient(visit, 'note');
  return noteView(n);
}

export async function prescribe(p: Principal, visitId: string, body: z.output<typeof PrescribeRequest>) {
  const { visit, me } = await writableVisit(p, visitId);
  const items: store.RxLine[] = body.items.map((i, n) => {
    const d = drugByCode(i.drug);
    if (!d) throw invalidField(`body.items.${n}.drug`, '不在本院互联网处方药品目录中');
    if (!d.routes.includes(i.route)) throw invalidField(`body.items.${n}.route`, `${d.name}不能${DRUG_ROUTE_LABEL[i.route]}`);
    return { drug: d.code, name: d.name, strength: d.strength, pack: d.pack, unit: d.unit, dose: i.dose, route: i.route, frequency: i.frequency, days: i.days, quantity: i.quantity, unitPrice: d.price, amount: d.price * i.quantity };
  });
  if (new Set(items.map((i) => i.drug)).size !== items.length) throw invalidField('body.items', '同一药品请合并为一行');
  const rx: store.RxItem = {
    rxId: shortId('rx'),
    visitId: visit.id,
    patientId: visit.patientId,
    patientName: visit.patientName,
    diagnosis: body.diagnosis,
    items,
    ...(body.note ? { note: body.note } : {}),
    total: items.reduce((s, i) => s + i.amount, 0),
    status: 'pending_review',
    authorId: p.userId,
    authorName: me.title ? `${me.name} ${me.title}` : me.name,
    // The prescriber's organisation in this visit (a specialist's own hospital in a consultation).
    orgId: me.orgId ?? visit.orgId,
    createdAt: toLocalIso(Date.now()),
  };
  await store.putPrescription(rx);
  logger.info('prescription issued', { visit: visit.id, rx: rx.rxId, lines: items.length });
  await tellPatient(visit, 'prescription');
  return prescriptionView(rx);
}

/**
 * 审方 (《医疗机构处方审核规范》): a pharmacist of the prescribing organisation — another
 * organisation's prescription is not found — and never the prescriber, even one who is also a
 * pharmacist there. Approval issues the bill.
 */
export async function review(p: Principal, visitId: string, rxId: string, body: z.output<typeof ReviewRequest>) {
  const rx = /^[\w-]{1,80}$/.test(visitId) && /^[\w-]{1,80}$/.test(rxId) ? await store.getPrescription(visitId, rxId) : undefined;
  if (!rx) throw notFound('处方不存在');
  requireOrgRole(p, rx.orgId, ['pharmacist'], '处方不存在');
  if (rx.authorId === p.userId) throw new HttpError(403, 'OWN_PRESCRIPTION', '不能审核自己开具的处方');
  if (rx.status !== 'pending_review') {
    const same = (rx.status === 'approved') === (body.decision === 'approve') && rx.reviewerId === p.userId;
    if (same) return prescriptionView(rx);
    throw conflict('ALREADY_REVIEWED', '该处方已审核');
  }
  const ok = await store.reviewPrescription(visitId, rxId, {
    status: body.decision === 'approve' ? 'approved' : 'rejected',
    reviewerId: p.userId,
    reviewerName: p.name,
    reviewNote: body.note,
    reviewedAt: toLocalIso(Date.now()),
  });
  if (!ok) throw conflict('ALREADY_REVIEWED', '该处方已审核');
  const after = (await store.getPrescription(visitId, rxId))!;
  const visit = (await store.getVisit(visitId))!;
  if (after.status === 'approved') await ensurePrescriptionBill(visit, after);
  logger.info('prescription reviewed', { rx: rxId, status: after.status, by: p.userId });
  await tellPatient(visit, 'prescription');
  const final = (await store.getPrescription(visitId, rxId))!;
  return prescriptionView(final, await billsOf({ visit, notes: [], prescriptions: [final], orders: [] }));
}

/** Idempotent: the bill id is derived from the prescription. */
export async function ensurePrescriptionBill(visit: store.VisitItem, rx: store.RxItem) {
  if (rx.status !== 'approved' || rx.billId) return;
  const billId = await billPrescription(visit, rx);
  if (billId) await store.setPrescriptionBill(visit.id, rx.rxId, billId);
}

/** The pending prescriptions of the organisations where the caller is a pharmacist, but their own. */
export async function reviewQueue(p: Principal) {
  const queues = await Promise.all(orgsWithRole(p, 'pharmacist').map((o) => store.reviewQueue(o)));
  const items = queues.flat().filter((rx) => rx.authorId !== p.userId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { items: items.map((rx) => prescriptionView(rx)) };
}

export async function order(p: Principal, visitId: string, body: z.output<typeof OrderRequest>) {
  const { visit, me } = await writableVisit(p, visitId);
  const codes = [...new Set(body.tests)];
  const items = codes.map((code, n) => {
    const t = testByCode(code);
    if (!t) throw invalidField(`body.tests.${n}`, '不在检查检验目录中');
    return { code: t.code, name: t.name, category: t.category, price: t.price };
  });
  const o: store.OrderItem = {
    orderId: shortId('od'),
    visitId: visit.id,
    items,
    ...(body.note ? { note: body.note } : {}),
    total: items.reduce((s, i) => s + i.price, 0),
    authorId: p.userId,
    authorName: me.title ? `${me.name} ${me.title}` : me.name,
    createdAt: toLocalIso(Date.now()),
  };
  await store.putOrder(o);
  const billId = await billOrder(visit, o);
  if (billId) await store.setOrderBill(visit.id, o.orderId, billId);
  const final = { ...o, ...(billId ? { billId } : {}) };
  logger.info('orders issued', { visit: visit.id, order: o.orderId, tests: items.length });
  await tellPatient(visit, 'order');
  return orderView(final, await billsOf({ visit, notes: [], prescriptions: [], orders: [final] }));
}

const age = (birthDate: string) => {
  const [y, m, d] = birthDate.split('-').map(Number);
  const [ty, tm, td] = localDate().split('-').map(Number);
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
};

/** The health summary for a participating doctor: through the consent/audit rules, purpose consultation. */
export async function patientSummary(p: Principal, visitId: string) {
  const { visit, me } = await loadVisit(p, visitId);
  if (me.role === 'patient') throw forbidden('只有参与医生可以查看');
  await authorizeStaffRead({ principal: p, patientId: visit.patientId, scope: 'record', purpose: 'consultation', resource: `visit:${visit.id}` });
  const [patient, s] = await Promise.all([getPatient(visit.patientId), healthSummary(visit.patientId)]);
  return {
    patientId: visit.patientId,
    name: visit.patientName,
    ...(patient ? { sex: patient.sex === 'male' ? '男' : '女', age: age(patient.birthDate) } : {}),
    bloodType: s.bloodType,
    allergies: s.allergies,
    conditions: s.conditions,
    medications: s.medications,
  };
}
