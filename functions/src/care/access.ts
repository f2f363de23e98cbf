/**
 * Who may act on a contract: the resident account that signed it, or a member of its team.
 * Someone else gets 404 (never 403), so contract ids cannot be probed. Other features
 * (messages, follow-ups, medication) use these too.
 */
import { effectiveStatus, localDate } from '@hospital/shared';
import { hasRoleIn } from '#lib/authority';
import { notFound } from '#lib/errors';
import type { Principal } from '#lib/tokens';
import { personKey } from '../patients/store';
import * as store from './store';

const NOT_FOUND = '签约不存在';
const isId = (s: string) => /^[\w-]{1,80}$/.test(s);

/** The key of a person across accounts: a hash of the ID number (the number never leaves the patients store). */
export const personHash = personKey;

export async function requireResidentContract(userId: string, contractId: string): Promise<store.ContractItem> {
  const c = isId(contractId) ? await store.getContract(contractId) : undefined;
  if (!c || c.userId !== userId) throw notFound(NOT_FOUND);
  return c;
}

/**
 * The contract and its team, if the caller is on that team and still a doctor or nurse of the
 * team's organisation (a member who has left it no longer acts for the team).
 */
export async function requireTeamContract(principal: Principal, contractId: string): Promise<{ contract: store.ContractItem; team: store.TeamItem }> {
  const c = isId(contractId) ? await store.getContract(contractId) : undefined;
  if (!c) throw notFound(NOT_FOUND);
  const teams = await store.teamIdsOf(principal.userId);
  const team = teams.includes(c.teamId) ? await store.getTeam(c.teamId) : undefined;
  if (!team || !hasRoleIn(principal, team.orgId, 'doctor', 'nurse')) throw notFound(NOT_FOUND);
  return { contract: c, team };
}

export const statusToday = (c: store.ContractItem, today = localDate()) => effectiveStatus(c.status, c.endDate, today);

/** The person's active contract (for other features: follow-ups, medication candidates), if any. */
export async function activeContractOf(patientId: string, userId: string): Promise<store.ContractItem | undefined> {
  const today = localDate();
  return (await store.listContractsOfAccount(userId)).find((c) => c.patientId === patientId && statusToday(c, today) === 'active');
}

export const teamIdsOf = store.teamIdsOf;
export const getTeam = store.getTeam;
export const getContract = store.getContract;
export const listContractsOfTeam = store.listContractsOfTeam;
export type { ContractItem, TeamItem, TeamMember } from './store';
