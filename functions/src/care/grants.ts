/**
 * The consent the resident gives by accepting the agreement: while the contract is active, each
 * team member with a staff account may read the person's record, reports and readings for
 * follow-up. The grants are ordinary consent grants (the resident sees and can revoke them under
 * 授权管理); every read through them is audited by `authorizeStaffRead`.
 */
import { addDays, localIso } from '@hospital/shared';
import { listGrants, putGrant, revokeGrant } from '../records/store';
import type { ContractItem, TeamItem } from './store';

const grantIdOf = (contractId: string, userId: string) => `contract-${contractId}-${userId}`;

/** The first instant after the contract's last day (Beijing), in UTC as grants compare it. */
const endOfTerm = (endDate: string) => new Date(localIso(addDays(endDate, 1))).toISOString();

export async function grantTeam(c: ContractItem, team: TeamItem, endDate: string) {
  const now = new Date().toISOString();
  for (const m of team.members) {
    if (!m.userId) continue;
    // Deterministic id: a retry or a renewal overwrites the grant instead of adding one.
    await putGrant({
      grantId: grantIdOf(c.contractId, m.userId),
      patientId: c.patientId,
      grantee: `user:${m.userId}`,
      granteeName: `${m.name}（${team.name}）`,
      scopes: ['record', 'reports', 'readings'],
      purpose: 'follow_up',
      validFrom: now,
      validUntil: endOfTerm(endDate),
      source: 'consent',
      sourceId: c.contractId,
      grantedBy: c.userId,
    });
  }
}

export async function revokeTeam(c: ContractItem) {
  const at = new Date().toISOString();
  for (const g of await listGrants(c.patientId)) {
    if (g.sourceId === c.contractId && !g.revokedAt) await revokeGrant(c.patientId, g.grantId, at);
  }
}
