/** What plans, doses and alerts look like to the clinician, the patient and the supervisor. */
import { adherence, canConfirmAt, planEnded, type DoseView, type MedicationAlertView, type PlanDetail, type PlanStatus, type PlanView } from '@hospital/shared';
import { compact } from '../care/compact';
import { imageUrl } from '../messages/images';
import type { AlertItem, DoseItem, PlanItem } from './store';

/** A plan whose last day has passed is complete, whether or not anything was written. */
export const planStatus = (p: PlanItem, now = Date.now()): PlanStatus => (p.status === 'active' && planEnded(p.endDate, now) ? 'completed' : p.status);

/** Doses that count: a stopped plan's open doses are no longer expected. */
const counted = (p: PlanItem, doses: DoseItem[]) => (p.status === 'stopped' ? doses.filter((d) => d.status !== 'scheduled') : doses);

export function planView(p: PlanItem, doses: DoseItem[], alerts: AlertItem[], now = Date.now()): PlanView {
  const a = adherence(counted(p, doses), p.regimen.phases.length, now);
  return compact({
    id: p.planId,
    status: planStatus(p, now),
    patient: { id: p.patientId, name: p.patientName },
    diagnosis: p.diagnosis,
    regimen: p.regimen,
    doseTimes: p.doseTimes,
    startDate: p.startDate,
    endDate: p.endDate,
    selfReportAllowed: p.selfReportAllowed,
    clinician: { id: p.clinicianId, name: p.clinicianName },
    supervisor: { kind: p.supervisor.kind, name: p.supervisor.name, state: p.supervisor.state, relation: p.supervisor.relation },
    adherence: { ...a, phases: a.phases.map((r, i) => ({ ...r, name: p.regimen.phases[i].name })) },
    openAlerts: alerts.filter((x) => !x.acknowledgedAt).length,
    stoppedReason: p.stoppedReason,
    createdAt: p.createdAt,
  });
}

export async function doseView(p: PlanItem, d: DoseItem, now = Date.now()): Promise<DoseView> {
  return compact({
    id: d.doseId,
    date: d.date,
    time: d.time,
    phase: d.phase,
    status: d.status,
    confirmedAt: d.confirmedAt,
    confirmedByName: d.confirmedByName,
    method: d.method,
    photoUrl: d.imageId ? await imageUrl(d.imageId, now) : undefined,
    note: d.note,
    sideEffects: d.sideEffects?.length ? d.sideEffects : undefined,
    confirmable: planStatus(p, now) === 'active' && canConfirmAt(d, now),
  });
}

export async function planDetail(p: PlanItem, doses: DoseItem[], alerts: AlertItem[], now = Date.now()): Promise<PlanDetail> {
  return { plan: planView(p, doses, alerts, now), doses: await Promise.all(doses.map((d) => doseView(p, d, now))) };
}

export const alertView = (a: AlertItem): MedicationAlertView =>
  compact({
    id: a.alertId,
    planId: a.planId,
    patient: { id: a.patientId, name: a.patientName },
    reason: a.reason,
    detail: a.detail,
    misses: a.misses,
    sideEffects: a.sideEffects,
    reportedByName: a.reportedByName,
    createdAt: a.createdAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedByName: a.acknowledgedByName,
  });
