/**
 * 停诊 of a session's appointments, after the session's shards are closed (so no new booking
 * can appear). The schedule index is eventually consistent, so the places taken in the shards
 * (strongly consistent) say how many appointments there must be; the listing is retried until
 * it has found them all.
 */
import { HOLDS_PLACE_STATUSES, isActive, toLocalIso } from '@hospital/shared';
import { logger } from '#lib/logger';
import { getSchedule, shardCount } from '../catalog/schedule-store';
import { tell } from './messages';
import { refundAppointmentPayment } from './refund';
import * as store from './store';

const holdsPlace = (s: string) => (HOLDS_PLACE_STATUSES as readonly string[]).includes(s);

export async function stopAppointments(scheduleId: string, reason: string): Promise<{ appointmentsStopped: number; refundsRequested: number }> {
  let appointmentsStopped = 0;
  let refundsRequested = 0;
  for (let attempt = 0; attempt < 6; attempt++) {
    const found = await getSchedule(scheduleId, true);
    if (!found) break;
    const taken = found.shards.reduce((n, s) => n + (s.cap - s.left), 0);
    const appointments = await store.listBySchedule(scheduleId, shardCount(found.schedule));
    for (const listed of appointments.filter((a) => isActive(a.status))) {
      const ok = await store.transition(listed, { event: 'stop', set: { stoppedReason: reason } }, toLocalIso(Date.now()));
      if (!ok) continue;
      appointmentsStopped++;
      const a = (await store.getAppointment(listed.id))!;
      if (a.paidAt && (await refundAppointmentPayment(a, 'stopped'))) refundsRequested++;
      await tell(a, 'session_stopped', `停诊原因：${reason}。${a.paidAt ? '已支付费用将原路退回' : '您的预约已取消'}`);
    }
    if (appointments.filter((a) => holdsPlace(a.status)).length >= taken) break;
    await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
  }
  logger.info('appointments stopped', { schedule: scheduleId, appointmentsStopped, refundsRequested });
  return { appointmentsStopped, refundsRequested };
}
