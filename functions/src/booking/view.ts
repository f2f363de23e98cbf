/** An appointment as its owner sees it, with what they may do now. */
import { canApply, checkInRefusal, type AppointmentView } from '@hospital/shared';
import { notFound } from '#lib/errors';
import { getAppointment, type AppointmentItem } from './store';

export function appointmentView(a: AppointmentItem, now = Date.now()): AppointmentView {
  return {
    id: a.id,
    status: a.status,
    patient: { id: a.patientId, name: a.patientName, relation: a.patientRelation },
    schedule: { id: a.scheduleId, date: a.date, session: a.session, startsAt: a.startsAt, endsAt: a.endsAt, cancelCutoffAt: a.cancelCutoffAt },
    org: { id: a.orgId, name: a.orgName },
    department: { id: a.deptId, name: a.deptName },
    doctor: { id: a.doctorId, name: a.doctorName, title: a.doctorTitle },
    fee: a.fee,
    ...(a.status === 'pending_payment' && a.holdExpiresAt ? { holdExpiresAt: a.holdExpiresAt } : {}),
    ...(a.paidAt ? { paidAt: a.paidAt } : {}),
    ...(a.orderNo ? { orderNo: a.orderNo } : {}),
    ...(a.refund ? { refund: a.refund } : {}),
    checkInCode: a.checkInCode,
    ...(a.queueNumber ? { queueNumber: a.queueNumber } : {}),
    canCancel: canApply(a.status, 'cancel') && now < Date.parse(a.cancelCutoffAt),
    canCheckIn: a.status === 'confirmed' && checkInRefusal(a.date, a.endsAt, now) === null,
    ...(a.stoppedReason ? { stoppedReason: a.stoppedReason } : {}),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/**
 * The appointment if it belongs to this account; 404 otherwise (also for someone else's, so
 * ids cannot be probed).
 */
export async function ownAppointment(userId: string, appointmentId: string): Promise<AppointmentItem> {
  const a = /^[\w-]{1,80}$/.test(appointmentId) ? await getAppointment(appointmentId) : undefined;
  if (!a || a.userId !== userId) throw notFound('预约不存在');
  return a;
}
