/**
 * The clinician's side of supervised medication: create a plan (every dose scheduled as an
 * item), the adherence table, a plan's timeline, stop, alerts. Creating a plan needs follow-up
 * access to the patient (the family-doctor contract's consent, or the patient's own consent),
 * checked and audited by `authorizeStaffRead`.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { addDays, localDate, planEndDate, scheduleDoses, TEAM_ROLE_LABEL, type CreatePlanRequest } from '@hospital/shared';
import { hasRoleIn, orgsWithRole } from '#lib/authority';
import { conflict, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { notify } from '#lib/notifier';
import type { Principal } from '#lib/tokens';
import { getUser } from '../auth/store';
import { activeContractOf, getTeam, personHash } from '../care/access';
import { getPatient } from '../patients/service';
import { listPatients } from '../patients/store';
import { audit, authorizeStaffRead } from '../records/access';
import * as store from './store';
import { alertView, planDetail, planView } from './views';

/** A plan starts today or within the next 30 days. */
const MAX_START_AHEAD_DAYS = 30;

const followUp = (principal: Principal, patientId: string, resource: string) =>
  authorizeStaffRead({ principal, patientId, scope: 'record', purpose: 'follow_up', resource });

export async function create(principal: Principal, body: z.output<typeof CreatePlanRequest>) {
  const person = await getPatient(body.patientId);
  if (!person) throw notFound('患者不存在');
  await followUp(principal, person.patientId, 'medication-plan:create');
  const today = localDate();
  if (body.startDate < today || body.startDate > addDays(today, MAX_START_AHEAD_DAYS)) {
    throw invalidField('body.startDate', `开始日期须在今天至${MAX_START_AHEAD_DAYS}天内`);
  }

  const contract = await activeContractOf(person.patientId, person.userId);
  let supervisor: store.Supervisor;
  if (body.supervisor.kind === 'staff') {
    // A doctor or nurse of one of the clinician's organisations, or of the patient's family-doctor team.
    const u = await getUser(body.supervisor.userId);
    const team = contract ? await getTeam(contract.teamId) : undefined;
    const colleague = !!u && orgsWithRole(principal).some((o) => hasRoleIn({ memberships: u.memberships ?? [] }, o, 'doctor', 'nurse'));
    const onTeam = !!u && !!team?.members.some((m) => m.userId === u.userId);
    if (!u || !(colleague || onTeam)) throw invalidField('body.supervisor.userId', '督导人须为本机构或签约团队的医护人员');
    supervisor = { kind: 'staff', name: u.name, state: 'accepted', userId: u.userId };
  } else {
    const fam = await getPatient(body.supervisor.patientId);
    if (!fam || fam.userId !== person.userId || fam.patientId === person.patientId) {
      throw invalidField('body.supervisor.patientId', '督导家属须为患者账户中的其他家庭成员');
    }
    supervisor = { kind: 'family', name: fam.name, state: 'invited', patientId: fam.patientId, relation: fam.relation, personHash: personHash(fam.idNumber) };
  }

  const now = new Date().toISOString();
  const p: store.PlanItem = {
    planId: `plan-${randomUUID()}`,
    status: 'active',
    userId: person.userId,
    patientId: person.patientId,
    patientName: person.name,
    ...(contract ? { contractId: contract.contractId } : {}),
    diagnosis: body.diagnosis,
    regimen: body.regimen,
    doseTimes: [...body.doseTimes].sort(),
    startDate: body.startDate,
    endDate: planEndDate(body.startDate, body.regimen.phases),
    selfReportAllowed: body.selfReportAllowed,
    clinicianId: principal.userId,
    clinicianName: principal.name,
    supervisor,
    createdAt: now,
    updatedAt: now,
  };
  const doses: store.DoseItem[] = scheduleDoses(p.startDate, p.regimen.phases, p.doseTimes).map((s) => ({ planId: p.planId, doseId: s.id, date: s.date, time: s.time, phase: s.phase, status: 'scheduled' }));
  if ((await store.createPlan(p, doses, today)) === 'exists') throw conflict('PLAN_EXISTS', `${person.name}已有进行中的服药计划`);
  logger.info('medication plan created', { plan: p.planId, doses: doses.length, supervisor: supervisor.kind });

  const base = { ref: `medication-plan:${p.planId}`, patientName: p.patientName, orgName: '', deptName: p.diagnosis, doctorName: p.clinicianName, time: `${p.startDate} 起` };
  if (supervisor.kind === 'staff') {
    await notify(supervisor.userId!, 'supervisor_invited', { ...base, page: 'packages/care/pages/supervise/index', note: '您已被指定为该患者的服药督导人，请每次督导服药后确认' });
  } else {
    await notify(p.userId, 'supervisor_invited', { ...base, page: 'packages/care/pages/supervise/index', note: `已邀请${supervisor.name}担任督导人，请其用本人账号登录并确认` });
  }
  return planDetail(p, doses, []);
}

/** Who can supervise this patient: their team's staff accounts, and family members on their account. */
export async function candidates(principal: Principal, patientId: string) {
  const person = await getPatient(patientId);
  if (!person) throw notFound('患者不存在');
  await followUp(principal, patientId, 'medication-plan:candidates');
  const contract = await activeContractOf(patientId, person.userId);
  const team = contract ? await getTeam(contract.teamId) : undefined;
  const staff = (team?.members ?? []).flatMap((m) => (m.userId ? [{ userId: m.userId, name: m.name, role: TEAM_ROLE_LABEL[m.role], teamName: team!.name }] : []));
  const family = (await listPatients(person.userId))
    .filter((x) => x.patientId !== patientId)
    .map((x) => ({ patientId: x.patientId, name: x.name, relation: x.relation }));
  return { staff, family };
}

async function ownPlan(principal: Principal, planId: string) {
  const p = await store.getPlan(planId);
  if (!p || p.clinicianId !== principal.userId) throw notFound('服药计划不存在');
  return p;
}

/** The adherence table: every plan of mine with its rates (doses up to today). */
export async function staffList(principal: Principal) {
  const today = localDate();
  const plans = await store.listClinicianPlans(principal.userId);
  const items = await Promise.all(plans.map(async (p) => planView(p, await store.doses(p.planId, undefined, today), await store.planAlerts(p.planId))));
  return { items };
}

/** A plan's timeline. Its clinician reads it on the plan's own basis; any other doctor needs access. Both are audited. */
export async function staffGet(principal: Principal, planId: string) {
  const p = await store.getPlan(planId);
  if (!p) throw notFound('服药计划不存在');
  const read = { principal, patientId: p.patientId, scope: 'record' as const, purpose: 'follow_up' as const, resource: `medication-plan:${planId}` };
  if (p.clinicianId === principal.userId) await audit(read, 'allowed', `medication-plan:${planId}`);
  else await authorizeStaffRead(read);
  return planDetail(p, await store.doses(planId), await store.planAlerts(planId));
}

export async function stop(principal: Principal, planId: string, reason: string) {
  const p = await ownPlan(principal, planId);
  const at = new Date().toISOString();
  if (p.status === 'active' && !(await store.stopPlan(p, reason, at))) throw conflict('STATE_CHANGED', '计划状态已变化，请刷新');
  // Open doses from today on are no longer expected: off the due index, so the job leaves them.
  for (const d of await store.doses(planId, localDate())) if (d.status === 'scheduled') await store.undue(planId, d.doseId);
  logger.info('medication plan stopped', { plan: planId });
  const after = (await store.getPlan(planId))!;
  return planDetail(after, await store.doses(planId), await store.planAlerts(planId));
}

export async function alerts(principal: Principal, open?: 'true' | 'false') {
  const items = await store.clinicianAlerts(principal.userId);
  return { items: items.filter((a) => open !== 'true' || !a.acknowledgedAt).map(alertView) };
}

export async function ack(principal: Principal, planId: string, alertId: string) {
  await ownPlan(principal, planId);
  const a = /^[\w-]{1,80}$/.test(alertId) ? await store.ackAlert(planId, alertId, principal.name, new Date().toISOString()) : undefined;
  if (!a) throw notFound('预警不存在');
  return alertView(a);
}
