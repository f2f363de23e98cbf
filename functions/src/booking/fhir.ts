/**
 * An appointment as a FHIR R4 Appointment (for Patient/$everything and exchange with the
 * hospital's HIS). Pure. Status mapping: held for payment → pending, confirmed → booked,
 * checked in → arrived, seen → fulfilled, not come → noshow, cancelled/expired/stopped → cancelled (with the reason).
 */
import type { AppointmentStatus } from '@hospital/shared';
import { SESSION_INFO } from '@hospital/shared';
import type { AppointmentItem } from './store';

const STATUS: Record<AppointmentStatus, string> = {
  pending_payment: 'pending',
  confirmed: 'booked',
  checked_in: 'arrived',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  expired: 'cancelled',
  stopped: 'cancelled',
  no_show: 'noshow',
};

const CANCEL_REASON: Partial<Record<AppointmentStatus, { code: string; text: string }>> = {
  cancelled: { code: 'pat', text: '患者取消' },
  expired: { code: 'pat', text: '未按时支付' },
  stopped: { code: 'prov', text: '医生停诊' },
};

/** FHIR ids: [A-Za-z0-9-.]{1,64}. */
const fid = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);

export function appointmentResource(a: AppointmentItem) {
  const reason = CANCEL_REASON[a.status];
  return {
    resourceType: 'Appointment' as const,
    id: fid(a.id),
    identifier: [{ system: 'urn:internet-hospital:appointment', value: a.id }],
    status: STATUS[a.status],
    ...(reason
      ? { cancelationReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: reason.code }], text: a.stoppedReason ?? reason.text } }
      : {}),
    serviceType: [{ text: `${a.deptName}门诊` }],
    description: `${a.orgName} ${a.deptName} ${a.doctorName}（${SESSION_INFO[a.session].label}）`,
    start: new Date(a.startsAt).toISOString(),
    end: new Date(a.endsAt).toISOString(),
    created: new Date(a.createdAt).toISOString(),
    participant: [
      { actor: { reference: `Patient/${fid(a.patientId)}`, display: a.patientName }, status: 'accepted' },
      { actor: { reference: `Practitioner/${fid(a.doctorId)}`, display: `${a.doctorName} ${a.doctorTitle}` }, status: 'accepted' },
      { actor: { reference: `Location/${fid(a.deptId)}`, display: `${a.orgName} ${a.deptName}` }, status: 'accepted' },
    ],
  };
}
