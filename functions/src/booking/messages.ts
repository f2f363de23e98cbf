/** What an appointment's messages say (booking confirmed, reminder, stopped, hold expired). */
import { SESSION_INFO, type AppointmentMessageData, type NotificationTemplate } from '@hospital/shared';
import { notify } from '#lib/notifier';
import type { AppointmentItem } from './store';

export const messageData = (a: AppointmentItem, note?: string): AppointmentMessageData => {
  const s = SESSION_INFO[a.session];
  // The appointment's own hours (a session may differ from its period's usual ones).
  const clock = (iso: string) => iso.slice(11, 16);
  return {
    appointmentId: a.id,
    patientName: a.patientName,
    orgName: a.orgName,
    deptName: a.deptName,
    doctorName: a.doctorName,
    time: `${a.date} ${s.label} ${clock(a.startsAt)}-${clock(a.endsAt)}`,
    ...(note ? { note } : {}),
  };
};

/** Tells the account holder; never throws (the appointment is already written). */
export const tell = (a: AppointmentItem, template: NotificationTemplate, note?: string) => notify(a.userId, template, messageData(a, note));
