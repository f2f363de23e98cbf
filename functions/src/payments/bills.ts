/** Outpatient bills (门诊缴费): issued by the hospital system or a cashier, paid by the family. */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { BillLine, BillView, CashierBillRequest, HisBill } from '@hospital/shared';
import { orgForWrite } from '#lib/authority';
import { invalidField } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import * as store from './bills-store';
import type { BillItem } from './bills-store';
import { maskedId, ownPerson, personHash } from './person';
import { stamp } from './util';

export const billView = (b: BillItem): BillView => ({
  id: b.billId,
  patientName: b.patientName,
  deptName: b.deptName,
  ...(b.doctorName ? { doctorName: b.doctorName } : {}),
  orgId: b.orgId,
  issuedAt: b.issuedAt,
  items: b.items,
  total: b.total,
  status: b.status,
  ...(b.paidAt ? { paidAt: b.paidAt } : {}),
  ...(b.orderNo ? { orderNo: b.orderNo } : {}),
  source: b.source,
});

export async function mine(userId: string, patientId: string, status: 'unpaid' | 'paid' | 'all') {
  const { hash } = await ownPerson(userId, patientId);
  const items = await store.listForPerson(hash, status === 'all' ? undefined : status);
  return { items: items.map(billView), unpaidTotal: items.filter((b) => b.status === 'unpaid').reduce((s, b) => s + b.total, 0) };
}

/** A line's amount: quantity × unit price, rounded to the fen (the server's figure, always). */
const lineAmount = (quantity: number, unitPrice: number) => Math.round(quantity * unitPrice);

export async function cashierBill(p: Principal, body: z.output<typeof CashierBillRequest>): Promise<BillView> {
  const orgId = orgForWrite(p, ['cashier', 'admin'], body.orgId, 'body.orgId', '不能为其他医院开具账单');
  const items: BillLine[] = body.items.map((i) => ({ ...i, amount: lineAmount(i.quantity, i.unitPrice) }));
  if (items.reduce((s, i) => s + i.amount, 0) <= 0) throw invalidField('body.items', '账单合计须大于0');
  const now = stamp();
  const b: BillItem = {
    billId: `bill-${randomUUID()}`, source: 'cashier', orgId, personHash: personHash(body.idNumber), patientName: body.patientName,
    idMasked: maskedId(body.idNumber), deptName: body.deptName, ...(body.doctorName ? { doctorName: body.doctorName } : {}),
    issuedAt: now, items, total: items.reduce((s, i) => s + i.amount, 0), status: 'unpaid', createdAt: now, createdBy: p.userId,
  };
  await store.putBill(b);
  logger.info('bill issued', { bill: b.billId, by: p.userId, lines: items.length });
  return billView(b);
}

/** A bill from the hospital system; its lines' amounts were checked to add up to its total. */
export async function hisBill(source: string, orgId: string, h: z.output<typeof HisBill>): Promise<'created' | 'exists'> {
  return store.putBill({
    billId: `bill-${source}-${h.billNo}`, source, hisBillNo: h.billNo, orgId, personHash: personHash(h.idNumber), patientName: h.patientName,
    idMasked: maskedId(h.idNumber), deptName: h.deptName, ...(h.doctorName ? { doctorName: h.doctorName } : {}),
    issuedAt: h.issuedAt, items: h.items, total: h.total, status: 'unpaid', createdAt: stamp(),
  });
}
