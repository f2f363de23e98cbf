/**
 * Contracts: sign, decide, cancel, renew. Every state change is one conditional transaction
 * in the store (contract + the person's lock + the expiry marker), so two racing decisions or a
 * double tap never both win, and a person never holds two pending/active contracts.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import {
  CONTRACT_TRANSITIONS,
  contractTerm,
  holdsContract,
  isRenewable,
  localDate,
  maskPhone,
  renewedEndDate,
  type CancelContractRequest,
  type ContractStatus,
  type ContractView,
  type DecisionRequest,
  type RenewRequest,
  type SignRequest,
  type StaffContractView,
} from '@hospital/shared';
import { conflict, invalidField } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import { authorizeStaffRead } from '../records/access';
import { requireVerifiedPerson } from '../identity/access';
import { personHash, requireResidentContract, requireTeamContract, statusToday } from './access';
import { compact } from './compact';
import { grantTeam, revokeTeam } from './grants';
import * as store from './store';
import { pushToResident, pushToTeam, tellResident } from './tell';

export const CONTRACT_EVENT = 'care.contract';

export function contractView(c: store.ContractItem, team: store.TeamItem | undefined, today = localDate()): ContractView {
  const status = statusToday(c, today);
  return compact({
    id: c.contractId,
    status,
    patient: { id: c.patientId, name: c.patientName, relation: c.patientRelation },
    team: { id: c.teamId, name: c.teamName, orgId: c.orgId, orgName: c.orgName },
    package: { id: c.packageId, name: c.packageName, kind: c.packageKind, priceFen: c.priceFen },
    conditions: c.conditions,
    consent: { agreementVersion: c.agreementVersion, acceptedAt: c.acceptedAt },
    requestedAt: c.requestedAt,
    decidedAt: c.decidedAt,
    decidedByName: c.decidedByName,
    declineReason: c.declineReason,
    startDate: c.startDate,
    endDate: c.endDate,
    renewedAt: c.renewedAt,
    cancelledAt: c.cancelledAt,
    cancelledBy: c.cancelledBy,
    cancelReason: c.cancelReason,
    contacts: status === 'active' && team ? team.members.map(({ name, role, title, phone, doctorId }) => ({ name, role, title, phone, ...(doctorId ? { doctorId } : {}) })) : [],
    canCancel: holdsContract(status),
    canRenew: isRenewable(c.status, c.endDate, today),
  });
}

export function staffContractView(c: store.ContractItem, team: store.TeamItem | undefined, today = localDate()): StaffContractView {
  const v = contractView(c, team, today);
  return { ...v, patient: { ...v.patient, sex: c.patientSex, birthDate: c.patientBirthDate, phoneMasked: c.patientPhoneMasked } };
}

/** Teams read once per call, however many contracts name them. */
function teamCache() {
  const cache = new Map<string, Promise<store.TeamItem | undefined>>();
  return (teamId: string) => {
    if (!cache.has(teamId)) cache.set(teamId, store.getTeam(teamId));
    return cache.get(teamId)!;
  };
}

// ── resident ──

export async function sign(userId: string, body: z.output<typeof SignRequest>): Promise<ContractView> {
  // The contract lock is filed by ID number: only a verified person can take (or reveal) it.
  const person = await requireVerifiedPerson(userId, body.patientId);
  const team = await store.getTeam(body.teamId);
  if (!team) throw invalidField('body.teamId', '团队不存在');
  if (!team.active) throw conflict('TEAM_INACTIVE', '该团队暂停签约，请选择其他团队');
  const pkg = await store.getPackage(body.packageId);
  if (!pkg) throw invalidField('body.packageId', '服务包不存在');
  if (!pkg.active) throw conflict('PACKAGE_INACTIVE', '该服务包已停止签约，请选择其他服务包');
  if (pkg.orgId !== team.orgId) throw invalidField('body.packageId', '该服务包不属于所选团队的机构');

  const now = new Date().toISOString();
  const c: store.ContractItem = {
    contractId: `ct-${randomUUID()}`,
    status: 'pending',
    userId,
    patientId: person.patientId,
    patientName: person.name,
    patientRelation: person.relation,
    patientSex: person.sex,
    patientBirthDate: person.birthDate,
    patientPhoneMasked: maskPhone(person.phone),
    personHash: personHash(person.idNumber),
    teamId: team.teamId,
    teamName: team.name,
    orgId: team.orgId,
    orgName: team.orgName,
    packageId: pkg.packageId,
    packageName: pkg.name,
    packageKind: pkg.kind,
    priceFen: pkg.priceFen,
    conditions: body.conditions,
    agreementVersion: body.agreementVersion,
    acceptedAt: now,
    requestedAt: now,
    updatedAt: now,
  };
  if ((await store.createContract(c, localDate())) === 'held') {
    throw conflict('ALREADY_CONTRACTED', `${person.name}已有签约或待审核的签约申请，不能重复签约`);
  }
  logger.info('contract requested', { contract: c.contractId, team: team.teamId });
  await pushToTeam(team, CONTRACT_EVENT, { contractId: c.contractId, status: c.status });
  return contractView(c, team);
}

export async function mine(userId: string) {
  const today = localDate();
  const team = teamCache();
  const items = await store.listContractsOfAccount(userId);
  return { items: await Promise.all(items.map(async (c) => contractView(c, await team(c.teamId), today))) };
}

export async function get(userId: string, contractId: string) {
  const c = await requireResidentContract(userId, contractId);
  return contractView(c, await store.getTeam(c.teamId));
}

/**
 * Ends a pending request or an active contract, whoever asks. The lock and the expiry marker go
 * in the same write; the team's access ends right after.
 */
async function cancelContract(c: store.ContractItem, by: 'resident' | 'team', reason: string | undefined) {
  const today = localDate();
  const status = statusToday(c, today);
  const now = new Date().toISOString();
  if (status === 'cancelled') return c; // a repeated tap
  if (!holdsContract(status)) throw conflict('STATE_CHANGED', '该签约已结束，无需解约');
  const changes = { status: 'cancelled' as const, cancelledAt: now, cancelledBy: by, cancelReason: reason, updatedAt: now };
  const ok = await store.transition(c, CONTRACT_TRANSITIONS.cancel.from, changes, 'release', 'delete', {
    expression: '(attribute_not_exists(endDate) OR endDate >= :today)',
    values: { ':today': today },
  });
  if (!ok) {
    const again = await store.getContract(c.contractId);
    if (again?.status === 'cancelled') return again;
    throw conflict('STATE_CHANGED', '签约状态已变化，请刷新后重试');
  }
  if (c.status === 'active') await revokeTeam(c);
  logger.info('contract cancelled', { contract: c.contractId, by });
  return { ...c, ...changes };
}

export async function cancel(userId: string, contractId: string, body: z.output<typeof CancelContractRequest>) {
  const c = await requireResidentContract(userId, contractId);
  const after = await cancelContract(c, 'resident', body.reason);
  const team = await store.getTeam(c.teamId);
  if (team) await pushToTeam(team, CONTRACT_EVENT, { contractId, status: after.status });
  return contractView(after, team);
}

export async function renew(userId: string, contractId: string, body: z.output<typeof RenewRequest>) {
  const c = await requireResidentContract(userId, contractId);
  const team = await store.getTeam(c.teamId);
  const today = localDate();
  if (!isRenewable(c.status, c.endDate, today) || !c.endDate) throw conflict('NOT_RENEWABLE', '签约到期前30天内才能续约');
  const endDate = renewedEndDate(c.endDate);
  const now = new Date().toISOString();
  const changes = { endDate, renewedAt: now, agreementVersion: body.agreementVersion, acceptedAt: now, updatedAt: now };
  const ok = await store.transition(c, CONTRACT_TRANSITIONS.renew.from, changes, { keep: endDate }, { put: endDate }, {
    expression: 'endDate = :oldEnd',
    values: { ':oldEnd': c.endDate },
  });
  if (!ok) throw conflict('STATE_CHANGED', '签约状态已变化，请刷新后重试');
  const after = { ...c, ...changes };
  if (team) await grantTeam(after, team, endDate);
  logger.info('contract renewed', { contract: contractId });
  return contractView(after, team);
}

// ── team ──

export async function staffList(principal: Principal, q: { status?: ContractStatus; teamId?: string }) {
  const mine = await store.teamIdsOf(principal.userId);
  const teamIds = q.teamId ? mine.filter((t) => t === q.teamId) : mine;
  const today = localDate();
  const team = teamCache();
  const lists = await Promise.all(
    teamIds.map(async (teamId) => {
      // An expired contract may still be stored as active until the job runs: ask for both.
      const rows = q.status === 'expired'
        ? [...(await store.listContractsOfTeam(teamId, 'expired')), ...(await store.listContractsOfTeam(teamId, 'active'))]
        : await store.listContractsOfTeam(teamId, q.status);
      return Promise.all(rows.map(async (c) => staffContractView(c, await team(c.teamId), today)));
    }),
  );
  const items = lists.flat().filter((c) => !q.status || c.status === q.status);
  items.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  return { items };
}

export async function staffGet(principal: Principal, contractId: string) {
  const { contract, team } = await requireTeamContract(principal, contractId);
  return staffContractView(contract, team);
}

export async function decide(principal: Principal, contractId: string, body: z.output<typeof DecisionRequest>): Promise<StaffContractView> {
  const { contract: c, team } = await requireTeamContract(principal, contractId);
  const target: ContractStatus = body.decision === 'approve' ? 'active' : 'declined';
  if (c.status === target && c.decidedBy === principal.userId) return staffContractView(c, team); // a repeated tap
  const now = new Date().toISOString();
  const decided = { decidedAt: now, decidedBy: principal.userId, decidedByName: principal.name, updatedAt: now };
  let after: store.ContractItem;
  if (body.decision === 'approve') {
    const term = contractTerm(localDate());
    const changes = { ...decided, status: 'active' as const, ...term, conditions: body.conditions ?? c.conditions };
    if (!(await store.transition(c, CONTRACT_TRANSITIONS.approve.from, changes, { keep: term.endDate }, { put: term.endDate }))) {
      throw conflict('STATE_CHANGED', '该申请已被处理，请刷新后查看');
    }
    after = { ...c, ...changes };
    await grantTeam(after, team, term.endDate);
    await tellResident(after, 'contract_decided', `服务期 ${term.startDate} 至 ${term.endDate}`, '签约成功，可在“家庭医生”中联系您的团队');
  } else {
    const changes = { ...decided, status: 'declined' as const, declineReason: body.reason };
    if (!(await store.transition(c, CONTRACT_TRANSITIONS.decline.from, changes, 'release', 'untouched'))) {
      throw conflict('STATE_CHANGED', '该申请已被处理，请刷新后查看');
    }
    after = { ...c, ...changes };
    await tellResident(after, 'contract_decided', now.slice(0, 10), `签约未通过：${body.reason ?? ''}`);
  }
  logger.info('contract decided', { contract: contractId, decision: body.decision });
  await pushToTeam(team, CONTRACT_EVENT, { contractId, status: after.status });
  await pushToResident(after, CONTRACT_EVENT, { contractId, status: after.status });
  return staffContractView(after, team);
}

export async function terminate(principal: Principal, contractId: string, body: z.output<typeof CancelContractRequest>) {
  const { contract, team } = await requireTeamContract(principal, contractId);
  const after = await cancelContract(contract, 'team', body.reason);
  await tellResident(after, 'contract_decided', localDate(), `家庭医生团队已解除签约${body.reason ? `：${body.reason}` : ''}`);
  await pushToResident(after, CONTRACT_EVENT, { contractId, status: after.status });
  return staffContractView(after, team);
}

/** For staff features that read a contracted person's data: the audited check through the contract's consent. */
export const authorizeFollowUpRead = (principal: Principal, patientId: string, resource: string) =>
  authorizeStaffRead({ principal, patientId, scope: 'record', purpose: 'follow_up', resource });
