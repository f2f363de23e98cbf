/** Teams and service packages: admins manage them; residents choose from the active ones. */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { PackageInput, PackageView, TeamAdminView, TeamInput, TeamView } from '@hospital/shared';
import { hasRoleIn, orgsWithRole, requireOrgRole } from '#lib/authority';
import { conflict, forbidden, invalidField } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import { getUser } from '../auth/store';
import { getDoctor, getOrg } from '../catalog/store';
import * as store from './store';

export const teamView = (t: store.TeamItem): TeamView => ({
  id: t.teamId,
  orgId: t.orgId,
  orgName: t.orgName,
  name: t.name,
  intro: t.intro,
  members: t.members.map(({ name, role, title }) => ({ name, role, title })),
  active: t.active,
});
export const teamAdminView = (t: store.TeamItem): TeamAdminView => ({ ...teamView(t), members: t.members, updatedAt: t.updatedAt });

export const packageView = (p: store.PackageItem): PackageView => ({
  id: p.packageId,
  orgId: p.orgId,
  orgName: p.orgName,
  name: p.name,
  kind: p.kind,
  intro: p.intro,
  services: p.services,
  priceFen: p.priceFen,
  active: p.active,
});

const byOrg = <T extends { orgId: string; active: boolean }>(items: T[], orgId?: string, activeOnly = true) =>
  items.filter((i) => (!orgId || i.orgId === orgId) && (!activeOnly || i.active));

export async function publicTeams(orgId?: string) {
  return { items: byOrg(await store.listTeams(), orgId).map(teamView) };
}
export async function publicPackages(orgId?: string) {
  return { items: byOrg(await store.listPackages(), orgId).map(packageView) };
}
/** Teams and packages of the organisations the caller administers. */
export async function adminTeams(principal: Principal) {
  const mine = orgsWithRole(principal, 'admin');
  return { items: (await store.listTeams()).filter((t) => mine.includes(t.orgId)).map(teamAdminView) };
}
export async function adminPackages(principal: Principal) {
  const mine = orgsWithRole(principal, 'admin');
  return { items: (await store.listPackages()).filter((p) => mine.includes(p.orgId)).map(packageView) };
}
export async function myTeams(userId: string) {
  const teams = await Promise.all((await store.teamIdsOf(userId)).map(store.getTeam));
  return { items: teams.filter((t): t is store.TeamItem => !!t).map(teamAdminView) };
}

const isId = (s: string) => /^[\w-]{1,80}$/.test(s);

async function orgName(orgId: string): Promise<string> {
  const org = await getOrg(orgId);
  if (!org) throw invalidField('body.orgId', '机构不存在');
  return org.name;
}

/**
 * Members named by account must be doctors or nurses of the team's organisation (being on a team
 * opens its residents' records); a named catalog doctor must exist.
 */
async function checkMembers(orgId: string, members: store.TeamMember[]) {
  for (const [i, m] of members.entries()) {
    if (m.doctorId && !(await getDoctor(m.doctorId))) throw invalidField(`body.members.${i}.doctorId`, '医生不存在');
    if (!m.userId) continue;
    const u = await getUser(m.userId);
    if (!u || !hasRoleIn({ memberships: u.memberships ?? [] }, orgId, 'doctor', 'nurse')) throw invalidField(`body.members.${i}.userId`, '该账号不存在或不是本机构的医护人员');
  }
}

/** Another organisation's team or package is not found; none is moved to an organisation the caller does not administer. */
function assertAdminOf(principal: Principal, orgId: string) {
  if (!hasRoleIn(principal, orgId, 'admin')) throw forbidden('只能管理本机构的团队和服务包');
}

export async function saveTeam(principal: Principal, teamId: string | undefined, body: z.output<typeof TeamInput>): Promise<TeamAdminView> {
  const previous = teamId && isId(teamId) ? await store.getTeam(teamId) : undefined;
  if (teamId) requireOrgRole(principal, previous?.orgId, ['admin'], '团队不存在');
  assertAdminOf(principal, body.orgId);
  await checkMembers(body.orgId, body.members);
  const now = new Date().toISOString();
  const team: store.TeamItem = {
    teamId: teamId ?? `team-${randomUUID()}`,
    ...body,
    orgName: await orgName(body.orgId),
    members: body.members.map((m) => ({ ...m, title: m.title ?? '' })),
    version: (previous?.version ?? 0) + 1,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  if (!(await store.saveTeam(team, previous))) throw conflict('STATE_CHANGED', '团队信息已被他人修改，请刷新后重试');
  logger.info('care team saved', { team: team.teamId, members: team.members.length });
  return teamAdminView(team);
}

export async function savePackage(principal: Principal, packageId: string | undefined, body: z.output<typeof PackageInput>): Promise<PackageView> {
  const previous = packageId && isId(packageId) ? await store.getPackage(packageId) : undefined;
  if (packageId) requireOrgRole(principal, previous?.orgId, ['admin'], '服务包不存在');
  assertAdminOf(principal, body.orgId);
  const now = new Date().toISOString();
  const p: store.PackageItem = {
    packageId: packageId ?? `pkg-${randomUUID()}`,
    ...body,
    orgName: await orgName(body.orgId),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  if (!(await store.savePackage(p, !previous))) throw conflict('STATE_CHANGED', '服务包已被修改，请刷新后重试');
  return packageView(p);
}
