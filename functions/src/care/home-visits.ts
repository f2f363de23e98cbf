/** Home-visit requests (上门服务): a contracted resident asks, the team schedules, declines or closes. */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { localDate, maskPhone, toLocalIso, type HomeVisitDecision, type HomeVisitRequest, type HomeVisitStatus, type HomeVisitView } from '@hospital/shared';
import { conflict, invalidField, notFound } from '#lib/errors';
import type { Principal } from '#lib/tokens';
import { requireResidentContract, statusToday } from './access';
import { compact } from './compact';
import * as store from './store';
import { pushToTeam, tellResident } from './tell';

export const HOME_VISIT_EVENT = 'care.home-visit';

const view = (v: store.HomeVisitItem): HomeVisitView => compact({
  id: v.visitId,
  contractId: v.contractId,
  patient: { id: v.patientId, name: v.patientName },
  reason: v.reason,
  preferredDate: v.preferredDate,
  slot: v.slot,
  address: v.address,
  phoneMasked: maskPhone(v.phone),
  status: v.status,
  scheduledAt: v.scheduledAt,
  note: v.note,
  handledByName: v.handledByName,
  createdAt: v.createdAt,
});
const staffView = (v: store.HomeVisitItem) => ({ ...view(v), phone: v.phone, teamId: v.teamId });

export async function request(userId: string, contractId: string, body: z.output<typeof HomeVisitRequest>) {
  const c = await requireResidentContract(userId, contractId);
  if (statusToday(c) !== 'active') throw conflict('CONTRACT_NOT_ACTIVE', '签约生效后才能申请上门服务');
  if (body.preferredDate < localDate()) throw invalidField('body.preferredDate', '希望上门日期不能早于今天');
  const now = toLocalIso(Date.now());
  const v: store.HomeVisitItem = {
    visitId: `hv-${randomUUID()}`,
    contractId,
    teamId: c.teamId,
    userId,
    patientId: c.patientId,
    patientName: c.patientName,
    ...body,
    status: 'requested',
    createdAt: now,
    updatedAt: now,
  };
  await store.putHomeVisit(v);
  const team = await store.getTeam(c.teamId);
  if (team) await pushToTeam(team, HOME_VISIT_EVENT, { visitId: v.visitId, contractId });
  return view(v);
}

export async function list(userId: string, contractId: string) {
  await requireResidentContract(userId, contractId);
  return { items: (await store.listHomeVisits(contractId)).map(view) };
}

export async function staffList(principal: Principal, status?: HomeVisitStatus) {
  const teams = await store.teamIdsOf(principal.userId);
  const items = (await Promise.all(teams.map((t) => store.listTeamHomeVisits(t, status)))).flat();
  items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { items: items.map(staffView) };
}

const NEXT: Record<z.output<typeof HomeVisitDecision>['decision'], { to: HomeVisitStatus; from: HomeVisitStatus[] }> = {
  schedule: { to: 'scheduled', from: ['requested', 'scheduled'] },
  decline: { to: 'declined', from: ['requested', 'scheduled'] },
  done: { to: 'done', from: ['scheduled'] },
};

export async function decide(principal: Principal, visitId: string, body: z.output<typeof HomeVisitDecision>) {
  const v = /^[\w-]{1,80}$/.test(visitId) ? await store.getHomeVisit(visitId) : undefined;
  if (!v || !(await store.teamIdsOf(principal.userId)).includes(v.teamId)) throw notFound('上门服务申请不存在');
  const step = NEXT[body.decision];
  if (v.status === step.to && body.decision !== 'schedule') return staffView(v); // a repeated tap
  if (!step.from.includes(v.status)) throw conflict('STATE_CHANGED', '该申请的状态已变化，请刷新后重试');
  const changes: Partial<store.HomeVisitItem> = {
    status: step.to,
    scheduledAt: body.scheduledAt ?? v.scheduledAt,
    note: body.note ?? v.note,
    handledBy: principal.userId,
    handledByName: principal.name,
    updatedAt: toLocalIso(Date.now()),
  };
  const after = await store.updateHomeVisit(v, step.from, changes);
  if (!after) throw conflict('STATE_CHANGED', '该申请的状态已变化，请刷新后重试');
  const c = await store.getContract(v.contractId);
  if (c && body.decision !== 'done') {
    const when = body.decision === 'schedule' ? `上门时间 ${toLocalIso(after.scheduledAt!).slice(0, 16).replace('T', ' ')}` : localDate();
    await tellResident(c, 'home_visit_update', when, body.decision === 'decline' ? `暂无法上门：${body.note}` : undefined);
  }
  return staffView(after);
}
