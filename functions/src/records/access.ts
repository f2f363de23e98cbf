/**
 * Who on the staff may read a person's health data, and the trail of every such read.
 * A read is allowed by an active grant naming the reader, their organisation or their role
 * (a patient's consent, an active video visit, an open emergency) that covers the scope.
 * Every staff read — allowed or refused — is audited: who, role, whose data, what, why, when.
 */
import type { AccessPurpose, AccessScope } from '@hospital/shared';
import { orgsWithRole } from '#lib/authority';
import { forbidden } from '#lib/errors';
import type { Principal } from '#lib/tokens';
import * as store from './store';

export interface StaffRead {
  principal: Principal;
  patientId: string;
  scope: AccessScope;
  purpose: AccessPurpose;
  /** What was read, e.g. `record`, `report:<id>`, `readings` (an id, never the data). */
  resource: string;
}

export const isActive = (g: store.GrantItem, now = new Date().toISOString()) => !g.revokedAt && g.validFrom <= now && now < g.validUntil;

/**
 * What the caller may be named as in a grant: themself, each organisation where they hold a
 * clinical role (a consent to a hospital opens to its doctors and nurses, not to its cashiers),
 * and their roles.
 */
export function granteesOf(p: Principal): store.Grantee[] {
  const orgs = orgsWithRole(p, 'doctor', 'nurse', 'dispatcher');
  return [`user:${p.userId}`, ...orgs.map((o) => `org:${o}` as const), ...p.roles.map((r) => `role:${r}` as const)];
}

/** Resolves with the basis of the grant, or audits the refusal and throws 403. */
export async function authorizeStaffRead(read: StaffRead): Promise<store.GrantItem> {
  const now = new Date().toISOString();
  const mine = new Set(granteesOf(read.principal));
  const grants = await store.listGrants(read.patientId);
  const grant = grants.find((g) => isActive(g, now) && mine.has(g.grantee) && g.scopes.includes(read.scope) && g.purpose === read.purpose);
  await audit(read, grant ? 'allowed' : 'refused', grant ? `${grant.source}:${grant.sourceId ?? grant.grantId}` : undefined, now);
  if (!grant) throw forbidden('没有该患者的授权，或授权已过期/撤销');
  return grant;
}

export async function audit(read: StaffRead, outcome: 'allowed' | 'refused', basis?: string, at = new Date().toISOString()) {
  await store.putAudit({
    patientId: read.patientId,
    at,
    actorId: read.principal.userId,
    actorName: read.principal.name,
    actorRole: read.principal.roles.join(','),
    resource: read.resource,
    purpose: read.purpose,
    outcome,
    basis,
  });
}

/** For features that open access while something is live: a visit's participants, an emergency's dispatchers. */
export function grantWhileActive(args: {
  patientId: string;
  grantee: store.Grantee;
  scopes: AccessScope[];
  purpose: AccessPurpose;
  source: 'visit' | 'emergency';
  sourceId: string;
  validFrom: string;
  validUntil: string;
  grantedBy: string;
}) {
  // One grant per (source, grantee): a deterministic id makes retries overwrite, not pile up.
  return store.putGrant({ ...args, grantId: `${args.source}-${args.sourceId}-${args.grantee.replace(/[^\w-]/g, '_')}` });
}

export const revokeGrant = store.revokeGrant;

/**
 * The platform admin's trail: every route that admits `platform_admin` writes one line per
 * request, before it does anything (who, which route, what it named).
 */
export async function auditPlatform(p: Principal, action: string, target?: string) {
  await store.putPlatformAudit({ at: new Date().toISOString(), actorId: p.userId, actorName: p.name, action, ...(target ? { target } : {}) });
}
