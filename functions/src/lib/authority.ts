/**
 * The staff authority model: what a caller may do is decided by the organisations they belong to
 * and their roles there (`principal.memberships`), never by the union of roles alone. A route's
 * `access` list lets a role in at all; a feature then asks these helpers about the organisation
 * that owns the resource:
 *
 * - lists are filtered to `orgsWithRole(p, ...)` (a caller with no such membership sees nothing);
 * - a resource of another organisation answers 404 (`requireOrgRole`), so ids cannot be probed;
 * - creating something for an organisation names it (`orgForWrite`: the one the caller chose, or
 *   the only one they hold the role in).
 *
 * `platform_admin` belongs to no organisation: it passes none of these checks.
 */
import type { OrgRole } from '@hospital/shared';
import { forbidden, HttpError, invalidField, notFound } from './errors';
import type { Principal } from './tokens';

/**
 * The 120 dispatch centre this deployment's SOS calls go to (`DISPATCH_CENTRE_ORG`): only its
 * dispatchers work the console. A dispatcher of another centre is not one of ours.
 */
export const dispatchCentre = () => process.env.DISPATCH_CENTRE_ORG || 'org-taian-120';

/** The organisations where the caller holds any of these roles (any role at all when none are named). */
export function orgsWithRole(p: Pick<Principal, 'memberships'>, ...roles: OrgRole[]): string[] {
  return p.memberships.filter((m) => roles.length === 0 || m.roles.some((r) => roles.includes(r))).map((m) => m.orgId);
}

/** Does the caller hold one of these roles in this organisation? */
export function hasRoleIn(p: Pick<Principal, 'memberships'>, orgId: string | undefined, ...roles: OrgRole[]): boolean {
  return !!orgId && orgsWithRole(p, ...roles).includes(orgId);
}

/** The roles the caller holds in one organisation. */
export const rolesIn = (p: Pick<Principal, 'memberships'>, orgId: string | undefined): OrgRole[] =>
  p.memberships.find((m) => m.orgId === orgId)?.roles ?? [];

/**
 * A resource of `orgId` (loaded by id): 404 unless the caller holds one of the roles there. The
 * same answer as a missing id, so another organisation's ids cannot be probed.
 */
export function requireOrgRole(p: Pick<Principal, 'memberships'>, orgId: string | undefined, roles: readonly OrgRole[], message: string): void {
  if (!hasRoleIn(p, orgId, ...roles)) throw notFound(message);
}

/**
 * The organisation a write acts for: `requested` when the caller holds the role there, else the
 * only organisation where they do. Several and none chosen is a 400 naming `field`; none at all
 * (or a requested one they do not belong to) is a 403.
 */
export function orgForWrite(p: Pick<Principal, 'memberships'>, roles: readonly OrgRole[], requested: string | undefined, field: string, message = '您在该机构没有此项权限'): string {
  const mine = orgsWithRole(p, ...roles);
  if (requested) {
    if (!mine.includes(requested)) throw forbidden(message);
    return requested;
  }
  if (mine.length === 1) return mine[0];
  if (mine.length === 0) throw new HttpError(403, 'FORBIDDEN', '您的账号未关联具有此项权限的医疗机构');
  throw invalidField(field, '您属于多个机构，请选择办理业务的机构');
}
