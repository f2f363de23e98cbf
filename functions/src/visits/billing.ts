/**
 * Approved prescriptions and doctor's orders become outpatient bills the family pays through
 * payments (门诊缴费). The bill id is `bill-visit-<rxId|orderId>`, so issuing twice (a retry, the
 * self-healing pass in a view) changes nothing.
 */
import type { BillLine } from '@hospital/shared';
import { logger } from '#lib/logger';
import { hisBill } from '../payments/bills';
import { getBills, type BillItem } from '../payments/bills-store';
import { getPatient } from '../patients/service';
import type * as store from './store';

export const SOURCE = 'visit';
export const billIdOf = (refId: string) => `bill-${SOURCE}-${refId}`;

async function issue(v: store.VisitItem, refId: string, doctorName: string, items: BillLine[]): Promise<string | undefined> {
  const patient = await getPatient(v.patientId);
  if (!patient) return undefined;
  const total = items.reduce((s, i) => s + i.amount, 0);
  await hisBill(SOURCE, v.orgId, {
    billNo: refId,
    idNumber: patient.idNumber,
    patientName: v.patientName,
    deptName: v.deptName,
    doctorName: doctorName.slice(0, 30),
    issuedAt: new Date().toISOString(),
    items,
    total,
  });
  logger.info('visit bill issued', { visit: v.id, ref: refId, lines: items.length });
  return billIdOf(refId);
}

export function billPrescription(v: store.VisitItem, rx: store.RxItem) {
  return issue(
    v,
    rx.rxId,
    rx.authorName,
    rx.items.map((i) => ({ code: i.drug, name: i.name, category: '西药', spec: `${i.strength} ${i.pack}`, unit: i.unit, quantity: i.quantity, unitPrice: i.unitPrice, amount: i.amount })),
  );
}

export function billOrder(v: store.VisitItem, o: store.OrderItem) {
  return issue(
    v,
    o.orderId,
    o.authorName,
    o.items.map((i) => ({ code: i.code, name: i.name, category: i.category, unit: '项', quantity: 1, unitPrice: i.price, amount: i.price })),
  );
}

/** The bills a visit refers to, by id (for their paid/unpaid status in views). */
export async function billsOf(r: store.VisitRecord): Promise<Map<string, BillItem>> {
  const ids = [...r.prescriptions.map((x) => x.billId), ...r.orders.map((x) => x.billId)].filter((x): x is string => !!x);
  return new Map((await getBills(ids.slice(0, 100))).map((b) => [b.billId, b]));
}
