/**
 * Alerts to the plan's clinician: two consecutive missed doses (from the end-of-day job) or a
 * reported side effect. Each alert is written once per id, then the clinician is told in the
 * inbox and live (`care.medication-alert`).
 */
import { randomUUID } from 'node:crypto';
import { SIDE_EFFECT_LABEL, type AlertReason, type SideEffect } from '@hospital/shared';
import { logger } from '#lib/logger';
import { notify } from '#lib/notifier';
import { publish, userTopic } from '#lib/realtime';
import * as store from './store';

export const ALERT_EVENT = 'care.medication-alert';
export const PLAN_PAGE = (planId: string) => `packages/carestaff/pages/plan/index?id=${encodeURIComponent(planId)}`;

export async function raiseAlert(
  p: store.PlanItem,
  a: { alertId?: string; reason: AlertReason; detail: string; misses?: number; sideEffects?: SideEffect[]; reporter?: { id: string; name: string } },
): Promise<store.AlertItem | undefined> {
  const alert: store.AlertItem = {
    planId: p.planId,
    alertId: a.alertId ?? `se-${randomUUID()}`,
    clinicianId: p.clinicianId,
    patientId: p.patientId,
    patientName: p.patientName,
    reason: a.reason,
    detail: a.detail,
    ...(a.misses !== undefined ? { misses: a.misses } : {}),
    ...(a.sideEffects?.length ? { sideEffects: a.sideEffects } : {}),
    ...(a.reporter ? { reportedBy: a.reporter.id, reportedByName: a.reporter.name } : {}),
    createdAt: new Date().toISOString(),
  };
  if (!(await store.putAlert(alert))) return undefined;
  logger.info('medication alert', { plan: p.planId, reason: a.reason });
  await notify(p.clinicianId, 'medication_alert', {
    ref: `medication-plan:${p.planId}`,
    page: PLAN_PAGE(p.planId),
    patientName: p.patientName,
    orgName: '',
    deptName: p.diagnosis,
    doctorName: '',
    time: alert.createdAt.slice(0, 10),
    note: a.detail,
  });
  await publish([userTopic(p.clinicianId)], { type: ALERT_EVENT, data: { planId: p.planId, alertId: alert.alertId } });
  return alert;
}

export const sideEffectText = (effects: SideEffect[], note?: string) =>
  `报告不良反应：${effects.map((e) => SIDE_EFFECT_LABEL[e]).join('、')}${note ? `（${note}）` : ''}`;
