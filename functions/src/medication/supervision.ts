/**
 * The patient's and the supervisor's side. A supervisor reaches only plans assigned to them
 * (a staff account named on the plan, or the family member who accepted the role); anyone else
 * gets 404. A family member is recognised by their own account's 本人 entry: its ID number must
 * be the one of the person the clinician named on the patient's account.
 */
import type * as z from 'zod';
import { DOSE_ID, localDate, type ConfirmDoseRequest, type ProblemRequest, type SelfReportRequest } from '@hospital/shared';
import { conflict, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { publish, userTopic } from '#lib/realtime';
import type { Principal } from '#lib/tokens';
import { personHash } from '../care/access';
import { verifiedPeople } from '../identity/access';
import { audit } from '../records/access';
import { requireOwnImage } from '../messages/images';
import { raiseAlert, sideEffectText } from './alerts';
import * as store from './store';
import { alertView, doseView, planDetail, planStatus, planView } from './views';

export const DOSE_EVENT = 'care.dose';
const NOT_FOUND = '服药计划不存在';

async function withToday(p: store.PlanItem) {
  const today = localDate();
  const doses = await store.doses(p.planId, undefined, today);
  return { plan: planView(p, doses, await store.planAlerts(p.planId)), today: await Promise.all(doses.filter((d) => d.date === today).map((d) => doseView(p, d))) };
}

const isSupervisor = (p: store.PlanItem, userId: string) => p.supervisor.userId === userId && p.supervisor.state === 'accepted';

async function supervisedPlan(principal: Principal, planId: string) {
  const p = await store.getPlan(planId);
  if (!p || !isSupervisor(p, principal.userId)) throw notFound(NOT_FOUND);
  return p;
}

async function accountPlan(userId: string, planId: string) {
  const p = await store.getPlan(planId);
  if (!p || p.userId !== userId) throw notFound(NOT_FOUND);
  return p;
}

/**
 * Hashes of the caller's own ID numbers (their 本人 entries, verified on this account: 实名认证),
 * to match family invitations: typing someone's ID number as 本人 is not enough to supervise them.
 */
async function myPersonHashes(userId: string): Promise<string[]> {
  return (await verifiedPeople(userId)).filter((x) => x.relation === 'self').map((x) => personHash(x.idNumber));
}

// ── patient (the account the person is on) ──

export async function mine(userId: string) {
  return { items: await Promise.all((await store.listAccountPlans(userId)).map(withToday)) };
}

export async function myPlan(userId: string, planId: string) {
  const p = await accountPlan(userId, planId);
  return planDetail(p, await store.doses(planId), await store.planAlerts(planId));
}

// ── supervisor ──

export async function supervised(principal: Principal) {
  const items = await Promise.all((await store.listSupervisedPlans(principal.userId)).filter((p) => isSupervisor(p, principal.userId)).map(withToday));
  let invitations: ReturnType<typeof planView>[] = [];
  if (principal.roles.includes('patient')) {
    const hashes = await myPersonHashes(principal.userId);
    const invited = (await Promise.all(hashes.map(store.listInvitations))).flat().filter((p) => p.supervisor.state === 'invited');
    invitations = await Promise.all(invited.map(async (p) => planView(p, await store.doses(p.planId, undefined, localDate()), [])));
  }
  return { items, invitations };
}

export async function plan(principal: Principal, planId: string) {
  const p = await supervisedPlan(principal, planId);
  // A staff supervisor reads health data on the basis of the assignment: on the trail.
  if (p.supervisor.kind === 'staff') {
    await audit({ principal, patientId: p.patientId, scope: 'record', purpose: 'follow_up', resource: `medication-plan:${planId}` }, 'allowed', `supervisor:${planId}`);
  }
  return planDetail(p, await store.doses(planId), await store.planAlerts(planId));
}

export async function respond(principal: Principal, planId: string, accept: boolean) {
  const p = await store.getPlan(planId);
  const mine = p?.supervisor.kind === 'family' && (await myPersonHashes(principal.userId)).includes(p.supervisor.personHash ?? '');
  if (!p || !mine) throw notFound(NOT_FOUND);
  const wanted = accept ? 'accepted' : 'declined';
  if (p.supervisor.state !== wanted || (accept && p.supervisor.userId !== principal.userId)) {
    if (p.supervisor.state !== 'invited') throw conflict('STATE_CHANGED', '该邀请已处理');
    if (!(await store.answerInvitation(p, principal.userId, accept, new Date().toISOString()))) throw conflict('STATE_CHANGED', '该邀请已处理');
  }
  const after = (await store.getPlan(planId))!;
  if (!accept) {
    await raiseAlert(after, { alertId: `declined-${planId}`, reason: 'supervisor_declined', detail: `${p.supervisor.name}未接受督导人邀请，请重新安排督导人` });
  }
  logger.info('supervisor answered', { plan: planId, accept });
  return planView(after, await store.doses(planId, undefined, localDate()), await store.planAlerts(planId));
}

/** Closes a dose as taken, once, on its own day; a repeat by the same person answers the same. */
async function take(
  p: store.PlanItem,
  doseId: string,
  by: Principal,
  fields: { method: store.DoseItem['method']; imageId?: string; note?: string; sideEffects: z.output<typeof ConfirmDoseRequest>['sideEffects'] },
) {
  if (planStatus(p) !== 'active') throw conflict('PLAN_NOT_ACTIVE', '该服药计划已结束或已停止');
  const dose = DOSE_ID.test(doseId) ? await store.getDose(p.planId, doseId) : undefined;
  if (!dose) throw notFound('该次服药不存在');
  if (fields.imageId) await requireOwnImage(by.userId, fields.imageId, 'body.imageId');
  const today = localDate();
  if (dose.status === 'taken' && dose.confirmedBy === by.userId) return doseView(p, dose);
  if (dose.status !== 'scheduled') throw conflict('DOSE_CLOSED', dose.status === 'missed' ? '该次服药已记为漏服' : '该次服药已确认');
  if (dose.date !== today) throw conflict('DOSE_CLOSED', dose.date > today ? '还未到该次服药的日期' : '已过确认时间（当天24点前确认）');
  const closed = await store.closeDose(p.planId, doseId, {
    status: 'taken',
    confirmedAt: new Date().toISOString(),
    confirmedBy: by.userId,
    confirmedByName: by.name,
    method: fields.method,
    ...(fields.imageId ? { imageId: fields.imageId } : {}),
    ...(fields.note ? { note: fields.note } : {}),
    ...(fields.sideEffects.length ? { sideEffects: fields.sideEffects } : {}),
  });
  if (!closed) {
    const again = await store.getDose(p.planId, doseId);
    if (again?.status === 'taken' && again.confirmedBy === by.userId) return doseView(p, again);
    throw conflict('DOSE_CLOSED', '该次服药已被确认或已过时间');
  }
  if (fields.sideEffects.length) {
    await raiseAlert(p, { reason: 'side_effect', detail: sideEffectText(fields.sideEffects, fields.note), sideEffects: fields.sideEffects, reporter: { id: by.userId, name: by.name } });
  }
  logger.info('dose taken', { plan: p.planId, dose: doseId, method: fields.method });
  await publish([userTopic(p.userId), userTopic(p.clinicianId)], { type: DOSE_EVENT, data: { planId: p.planId, doseId } });
  return doseView(p, closed);
}

export async function confirm(principal: Principal, planId: string, doseId: string, body: z.output<typeof ConfirmDoseRequest>) {
  return take(await supervisedPlan(principal, planId), doseId, principal, body);
}

export async function selfReport(principal: Principal, planId: string, doseId: string, body: z.output<typeof SelfReportRequest>) {
  const p = await accountPlan(principal.userId, planId);
  if (!p.selfReportAllowed) throw conflict('SELF_REPORT_NOT_ALLOWED', '该计划需由督导人确认服药');
  return take(p, doseId, principal, { method: 'self_photo', ...body });
}

async function problem(p: store.PlanItem, principal: Principal, body: z.output<typeof ProblemRequest>) {
  const a = await raiseAlert(p, { reason: 'side_effect', detail: sideEffectText(body.sideEffects, body.note), sideEffects: body.sideEffects, reporter: { id: principal.userId, name: principal.name } });
  return alertView(a!);
}

export async function supervisorProblem(principal: Principal, planId: string, body: z.output<typeof ProblemRequest>) {
  return problem(await supervisedPlan(principal, planId), principal, body);
}

export async function selfProblem(principal: Principal, planId: string, body: z.output<typeof ProblemRequest>) {
  return problem(await accountPlan(principal.userId, planId), principal, body);
}
