/** Whose hospital and which patient an order is about: its appointment, (first) bill or admission. */
import { hasRoleIn } from '#lib/authority';
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

/** Cashiers and admins handle only the orders of hospitals where they hold that role. */
export const staffMayHandle = (p: Principal, c: OrderContext) => hasRoleIn(p, c.orgId, 'cashier', 'admin');
