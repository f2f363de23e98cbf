/** Who may see a visit, and what they see. */
import { joinRefusal, joinWindow, toLocalIso, type VisitListItem, type VisitView } from '@hospital/shared';
import * as z from 'zod';
import type { NoteView, OrderView, PrescriptionView } from '@hospital/shared';
import { forbidden, notFound } from '#lib/errors';
import type { Principal } from '#lib/tokens';
import type { BillItem } from '../payments/bills-store';
import type * as store from './store';

const isId = (s: string) => /^[\w-]{1,80}$/.test(s);

/** The caller's place in the visit: the patient's account, or a participating doctor. */
export function participantOf(v: store.VisitItem, p: Principal): store.Participant | undefined {
  if (p.roles.includes('doctor')) {
    const me = v.participants.find((x) => x.role !== 'patient' && x.userId === p.userId);
    if (me) return me;
  }
  if (p.roles.includes('patient') && v.accountUserId === p.userId) return v.participants.find((x) => x.role === 'patient');
  return undefined;
}

/**
 * The visit if the caller takes part. A patient asking for someone else's visit gets 404 (ids
 * cannot be probed); staff who are not participants get 403.
 */
export async function visitFor(p: Principal, visitId: string, load: (id: string) => Promise<store.VisitItem | undefined>) {
  const v = isId(visitId) ? await load(visitId) : undefined;
  if (!v) throw notFound('问诊不存在');
  const me = participantOf(v, p);
  if (!me) {
    if (p.roles.includes('doctor')) throw forbidden('您不是本次问诊的参与医生');
    throw notFound('问诊不存在');
  }
  return { visit: v, me };
}

const iso = (ms: number) => toLocalIso(ms);

export function listItem(v: store.VisitItem, me: store.Participant | undefined, now = Date.now()): VisitListItem {
  const w = joinWindow(v);
  return {
    id: v.id,
    kind: v.kind,
    status: v.status,
    patient: { id: v.patientId, name: v.patientName },
    reason: v.reason,
    org: { id: v.orgId, name: v.orgName },
    scheduledAt: v.scheduledAt,
    endsAt: v.endsAt,
    opensAt: iso(w.opensAt),
    closesAt: iso(w.closesAt),
    canJoin: !!me && joinRefusal(v, now) === null,
    participants: v.participants.map((x) => ({
      userId: x.userId,
      name: x.name,
      role: x.role,
      ...(x.title ? { title: x.title } : {}),
      ...(x.orgName ? { orgName: x.orgName } : {}),
      uid: x.uid,
      ...(v.lastJoined?.[x.userId] ? { lastJoinedAt: v.lastJoined[x.userId] } : {}),
    })),
  };
}

const billRef = (id: string | undefined, bills: Map<string, BillItem>) => {
  const b = id ? bills.get(id) : undefined;
  return b ? { bill: { id: b.billId, total: b.total, status: b.status } } : {};
};

export function noteView(n: store.NoteItem): z.infer<typeof NoteView> {
  const { noteId, authorName, authorRole, createdAt } = n;
  // Absent fields are left out, not undefined: idempotent replies are stored in DynamoDB as they are.
  const text = Object.fromEntries((['complaint', 'findings', 'diagnosis', 'advice'] as const).flatMap((k) => (n[k] ? [[k, n[k]]] : [])));
  return { id: noteId, authorName, authorRole, ...text, createdAt };
}

export function prescriptionView(rx: store.RxItem, bills = new Map<string, BillItem>()): PrescriptionView {
  return {
    id: rx.rxId,
    visitId: rx.visitId,
    patientName: rx.patientName,
    diagnosis: rx.diagnosis,
    items: rx.items,
    ...(rx.note ? { note: rx.note } : {}),
    total: rx.total,
    status: rx.status,
    authorName: rx.authorName,
    ...(rx.reviewerName ? { reviewerName: rx.reviewerName } : {}),
    ...(rx.reviewNote ? { reviewNote: rx.reviewNote } : {}),
    ...(rx.reviewedAt ? { reviewedAt: rx.reviewedAt } : {}),
    ...billRef(rx.billId, bills),
    createdAt: rx.createdAt,
  };
}

export function orderView(o: store.OrderItem, bills = new Map<string, BillItem>()): z.infer<typeof OrderView> {
  return {
    id: o.orderId,
    visitId: o.visitId,
    items: o.items,
    ...(o.note ? { note: o.note } : {}),
    total: o.total,
    authorName: o.authorName,
    ...billRef(o.billId, bills),
    createdAt: o.createdAt,
  };
}

export function visitView(r: store.VisitRecord, me: store.Participant | undefined, bills: Map<string, BillItem>, now = Date.now()): VisitView {
  const v = r.visit;
  return {
    ...listItem(v, me, now),
    ...(v.appointmentId ? { appointmentId: v.appointmentId } : {}),
    ...(v.startedAt ? { startedAt: v.startedAt } : {}),
    ...(v.endedAt ? { endedAt: v.endedAt } : {}),
    ...(v.cancelReason ? { cancelReason: v.cancelReason } : {}),
    notes: r.notes.map(noteView),
    prescriptions: r.prescriptions.map((rx) => prescriptionView(rx, bills)),
    orders: r.orders.map((o) => orderView(o, bills)),
    createdAt: v.createdAt,
  };
}
