/**
 * What the staff pages offer, from the logged-in user's memberships (the server decides; a page
 * only avoids offering what would be refused). Roles are held per organisation.
 */
import type { OrgRole, UserView } from '@hospital/shared';

/** The organisations where the user holds the role. */
export const orgsWithRole = (user: Pick<UserView, 'memberships'> | undefined, role: OrgRole): string[] =>
  (user?.memberships ?? []).filter((m) => m.roles.includes(role)).map((m) => m.orgId);

/**
 * The organisations an admin page may act for, and the one it is fixed to when there is only
 * one (no picker then).
 */
export function adminScope(user: Pick<UserView, 'memberships'> | undefined): { orgs: string[]; fixed?: string } {
  const orgs = orgsWithRole(user, 'admin');
  return orgs.length === 1 ? { orgs, fixed: orgs[0] } : { orgs };
}

/** The visit's host (who ends it); an invited specialist leaves instead. */
export const isHostOf = (visit: { participants: { userId: string; role: string }[] }, userId: string | undefined) =>
  visit.participants.some((p) => p.userId === userId && p.role === 'host');
