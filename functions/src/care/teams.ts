/** Teams and service packages: admins manage them; residents choose from the active ones. */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { PackageInput, PackageView, TeamAdminView, TeamInput, TeamView } from '@hospital/shared';
import { conflict, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
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
export async function adminTeams() {
  return { items: (await store.listTeams()).map(teamAdminView) };
}
export async function adminPackages() {
  return { items: (await store.listPackages()).map(packageView) };
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

/** Members named by account must be staff who can do the team's work (doctor or nurse role); a named catalog doctor must exist. */
async function checkMembers(members: store.TeamMember[]) {
  for (const [i, m] of members.entries()) {
    if (m.doctorId && !(await getDoctor(m.doctorId))) throw invalidField(`body.members.${i}.doctorId`, '医生不存在');
    if (!m.userId) continue;
    const u = await getUser(m.userId);
    if (!u || !u.roles.some((r) => r === 'doctor' || r === 'nurse')) throw invalidField(`body.members.${i}.userId`, '该账号不存在或不是医护人员');
  }
}

export async function saveTeam(teamId: string | undefined, body: z.output<typeof TeamInput>): Promise<TeamAdminView> {
  const previous = teamId && isId(teamId) ? await store.getTeam(teamId) : undefined;
  if (teamId && !previous) throw notFound('团队不存在');
  await checkMembers(body.members);
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

export async function savePackage(packageId: string | undefined, body: z.output<typeof PackageInput>): Promise<PackageView> {
  const previous = packageId && isId(packageId) ? await store.getPackage(packageId) : undefined;
  if (packageId && !previous) throw notFound('服务包不存在');
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
