/** Whose hospital and which patient an order is about: its appointment, (first) bill or admission. */
import type { Principal } from '#lib/tokens';
import { getAppointment } from '../booking/store';
import { getAdmission } from './admissions-store';
import { getBill } from './bills-store';
import type { OrderItem } from './orders-store';

export interface OrderContext {
  orgId?: string;
  patientName?: string;
}

export async function orderContext(o: Pick<OrderItem, 'purpose' | 'refIds'>): Promise<OrderContext> {
  const of = (x?: { orgId: string; patientName: string }) => (x ? { orgId: x.orgId, patientName: x.patientName } : {});
  if (o.purpose === 'deposit') return of(await getAdmission(o.refIds[0]));
  if (o.purpose === 'appointment') return of(await getAppointment(o.refIds[0]));
  return of(await getBill(o.refIds[0]));
}

/** Staff of one hospital handle only its orders (an admin without an organisation: all). */
export const staffMayHandle = (p: Principal, c: OrderContext) => !p.orgId || c.orgId === p.orgId;
