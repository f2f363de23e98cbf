/** What an appointment's messages say (booking confirmed, reminder, stopped, hold expired). */
import { SESSION_INFO, type AppointmentMessageData, type NotificationTemplate } from '@hospital/shared';
import { notify } from '#lib/notifier';
import type { AppointmentItem } from './store';

export const messageData = (a: AppointmentItem, note?: string): AppointmentMessageData => {
  const s = SESSION_INFO[a.session];
  return {
    appointmentId: a.id,
    patientName: a.patientName,
    orgName: a.orgName,
    deptName: a.deptName,
    doctorName: a.doctorName,
    time: `${a.date} ${s.label} ${s.start}-${s.end}`,
    ...(note ? { note } : {}),
  };
};

/** Tells the account holder; never throws (the appointment is already written). */
export const tell = (a: AppointmentItem, template: NotificationTemplate, note?: string) => notify(a.userId, template, messageData(a, note));
