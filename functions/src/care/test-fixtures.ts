/**
 * Fixtures for the care features (contracts, messages, follow-ups, medication): a community
 * centre with a family-doctor team of staff accounts and packages, created through the admin
 * routes, and residents with people on their accounts, through the patients route. Ids are
 * unique per call: test files share one table.
 */
import { randomUUID } from 'node:crypto';
import { AGREEMENT_VERSION, api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { consentAll, verifyAtWindow } from '#test/people';
import { verifyAccessToken } from '#lib/tokens';
import { idCardCheckChar } from '@hospital/shared';
import { putUser } from '../auth/store';
import { putOrg } from '../catalog/store';
import { handler as patients } from '../patients/handler';
import { handler } from './handler';

export const key = () => `k-${randomUUID()}`;
const uid = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;

export interface Staff {
  userId: string;
  name: string;
  token: string;
}

async function staff(role: 'doctor' | 'nurse', name: string, orgId: string): Promise<Staff> {
  const userId = uid(`u-${role}`);
  await putUser({ userId, name, roles: [], memberships: [{ orgId, roles: [role] }], createdAt: new Date().toISOString() });
  return { userId, name, token: await tokenFor([role], userId, orgId, name) };
}

/** An administrator of one organisation (the care admin routes act only on its teams and packages). */
export async function adminToken(orgId: string) {
  return tokenFor(['admin'], uid('u-admin'), orgId, '管理员');
}

/**
 * A community centre, a team (family doctor, nurse, village doctor, and one member without an
 * account) and two packages. `doctorId`: the family doctor's catalog doctor (priority booking).
 */
export async function makeCare(opts: { doctorId?: string } = {}) {
  const orgId = uid('org-community');
  await putOrg({
    id: orgId, name: '测试社区卫生服务中心', kind: 'community', level: '社区卫生服务中心', address: '泰安市', phone: '0538-0000001', intro: '', order: 99,
    location: { gcj02: { lat: 36.2, lng: 117.1 }, wgs84: { lat: 36.2, lng: 117.1 } },
  });
  const doctor = await staff('doctor', '孙慧', orgId);
  const nurse = await staff('nurse', '刘护士', orgId);
  const village = await staff('doctor', '王村医', orgId);
  const admin = await adminToken(orgId);
  const team = await call(handler, api.care.createTeam, {
    token: admin,
    body: {
      orgId,
      name: '孙慧家庭医生团队',
      members: [
        { userId: doctor.userId, ...(opts.doctorId ? { doctorId: opts.doctorId } : {}), name: doctor.name, role: 'doctor', title: '全科主治医师', phone: '13800000001' },
        { userId: nurse.userId, name: nurse.name, role: 'nurse', title: '护师', phone: '13800000002' },
        { userId: village.userId, name: village.name, role: 'village_doctor', title: '乡村医生', phone: '13800000003' },
        { name: '赵公卫', role: 'public_health', title: '', phone: '0538-1234567' },
      ],
    },
  });
  if (team.status !== 201) throw new Error(`team: ${team.status} ${team.text}`);
  const basic = await call(handler, api.care.createPackage, {
    token: admin,
    body: { orgId, name: '基础服务包', kind: 'basic', services: [{ name: '健康评估', detail: '每年一次' }], priceFen: 0 },
  });
  const chronic = await call(handler, api.care.createPackage, {
    token: admin,
    body: { orgId, name: '慢病管理包', kind: 'chronic', services: [{ name: '高血压随访', detail: '每季度一次' }], priceFen: 12000 },
  });
  if (basic.status !== 201 || chronic.status !== 201) throw new Error(`package: ${basic.text} ${chronic.text}`);
  return { orgId, teamId: team.body.id as string, packageId: basic.body.id as string, chronicPackageId: chronic.body.id as string, doctor, nurse, village, admin };
}
export type Care = Awaited<ReturnType<typeof makeCare>>;

/** A staff account on no team. */
export const outsider = (orgId = 'org-elsewhere') => staff('doctor', '外院医生', orgId);

/**
 * A fresh ID number. A contract locks the person by ID number across accounts, so test people
 * must not share one by chance: a random birth date (1940–1999) and sequence, not 1 in 1,000.
 */
export function uniqueIdNumber(): string {
  const birth = new Date(Date.UTC(1940, 0, 1) + Math.floor(Math.random() * 60 * 365) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `370902${birth}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}

/** A resident account with themself on it (and a fresh ID number). */
export async function resident(name = '张建国') {
  const userId = `u_${randomUUID()}`;
  const token = await tokenFor(['patient'], userId, undefined, name);
  const patientId = await addPerson(token, name, 'self');
  return { userId, token, patientId };
}

/** Adds a verified person to an account; `idNo` lets a test put the same person on two accounts. */
export async function addPerson(token: string, name: string, relation: 'spouse' | 'child' | 'parent' | 'self', idNo = uniqueIdNumber(), o: { verified?: boolean } = {}) {
  const { userId } = await verifyAccessToken(token);
  await consentAll(userId);
  const r = await call(patients, api.patients.create, { token, body: { name, relation, phone: '13900139000', idNumber: idNo }, headers: { 'idempotency-key': key() } });
  if (r.status !== 201) throw new Error(`person: ${r.status} ${r.text}`);
  if (o.verified !== false) await verifyAtWindow(userId, r.body.id, idNo);
  return r.body.id as string;
}

export function sign(care: Care, token: string, patientId: string, extra: Record<string, unknown> = {}, idem = key()) {
  return call(handler, api.care.sign, {
    token,
    body: { patientId, teamId: care.teamId, packageId: care.packageId, agreementVersion: AGREEMENT_VERSION, accepted: true, ...extra },
    headers: { 'idempotency-key': idem },
  });
}

export function decide(token: string, contractId: string, body: Record<string, unknown>) {
  return call(handler, api.care.decide, { token, params: { contractId }, body });
}

/** A resident with an active contract with the care team. */
export async function contracted(care: Care, name = '张建国', conditions: string[] = []) {
  const r = await resident(name);
  const signed = await sign(care, r.token, r.patientId, { conditions });
  if (signed.status !== 201) throw new Error(`sign: ${signed.status} ${signed.text}`);
  const approved = await decide(care.doctor.token, signed.body.id, { decision: 'approve' });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.text}`);
  return { ...r, contractId: signed.body.id as string };
}
