import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { SelfReportedRecord, type AccessPurpose, type ConsentRequest, type HealthRecordView, type VerifiedEntry } from '@hospital/shared';
import { notFound } from '#lib/errors';
import type { Principal } from '#lib/tokens';
import { getUser } from '../auth/store';
import { getDoctor } from '../catalog/store';
import { getPatient } from '../patients/store';
import { requireOwnPatient } from '../patients/service';
import { requireVerifiedPerson } from '../identity/access';
import { authorizeStaffRead, granteesOf, isActive } from './access';
import * as store from './store';

const EMPTY = SelfReportedRecord.parse({});

export function recordView(patientId: string, r?: store.RecordItem): HealthRecordView {
  return { ...EMPTY, ...(r?.self ?? {}), patientId, verified: r?.verified ?? [], updatedAt: r?.updatedAt };
}

/**
 * The few lines a dispatcher or a visiting doctor needs first: allergies, conditions,
 * medications (self-reported and verified together), blood type and who to call.
 */
export async function healthSummary(patientId: string) {
  const r = recordView(patientId, await store.getRecord(patientId));
  const verified = (kind: store.VerifiedItem['kind']) => r.verified.filter((v) => v.kind === kind).map((v) => v.value);
  return {
    bloodType: verified('bloodType')[0] ?? (r.bloodType === 'unknown' ? '不详' : `${r.bloodType}${r.rh === 'negative' ? ' Rh阴性' : ''}`),
    allergies: [...new Set([...verified('allergy'), ...r.allergies.map((a) => a.substance)])],
    conditions: [...new Set([...verified('condition'), ...r.conditions.map((c) => c.name)])],
    medications: [...new Set([...verified('medication'), ...r.medications.map((m) => m.name)])],
    emergencyContacts: r.emergencyContacts,
  };
}
export type HealthSummary = Awaited<ReturnType<typeof healthSummary>>;

export async function getOwnRecord(userId: string, patientId: string) {
  await requireVerifiedPerson(userId, patientId);
  return recordView(patientId, await store.getRecord(patientId));
}

export async function putOwnRecord(userId: string, patientId: string, self: SelfReportedRecord) {
  await requireVerifiedPerson(userId, patientId);
  await store.putSelfReported(patientId, self);
  return recordView(patientId, await store.getRecord(patientId));
}

export async function staffReadRecord(principal: Principal, patientId: string, purpose: AccessPurpose) {
  await authorizeStaffRead({ principal, patientId, scope: 'record', purpose, resource: 'record' });
  return recordView(patientId, await store.getRecord(patientId));
}

export async function addVerifiedEntry(principal: Principal, patientId: string, entry: z.output<typeof VerifiedEntry>) {
  await authorizeStaffRead({ principal, patientId, scope: 'record', purpose: 'treatment', resource: 'record:verify' });
  await store.appendVerified(patientId, { ...entry, id: randomUUID(), verifiedBy: principal.userId, verifiedByName: principal.name, verifiedAt: new Date().toISOString() });
  return recordView(patientId, await store.getRecord(patientId));
}

const consentView = (g: store.GrantItem) => ({
  id: g.grantId,
  patientId: g.patientId,
  grantee: { type: g.grantee.startsWith('org:') ? ('org' as const) : ('doctor' as const), id: g.grantee.slice(g.grantee.indexOf(':') + 1), name: g.granteeName },
  purpose: g.purpose,
  scopes: g.scopes,
  validFrom: g.validFrom,
  validUntil: g.validUntil,
  revokedAt: g.revokedAt,
  active: isActive(g),
});

export async function grantConsent(userId: string, req: z.output<typeof ConsentRequest>) {
  await requireVerifiedPerson(userId, req.patientId);
  let granteeName: string | undefined;
  let granteeId = req.grantee.id;
  if (req.grantee.type === 'doctor') {
    // The id of a doctor's login, or of the doctor as the catalog lists them (what a patient picks).
    let doctor = await getUser(req.grantee.id);
    if (!doctor?.roles.includes('doctor')) {
      const listed = await getDoctor(req.grantee.id);
      doctor = listed?.userId ? await getUser(listed.userId) : undefined;
    }
    if (!doctor?.roles.includes('doctor')) throw notFound('找不到该医生，或该医生未开通线上服务');
    granteeName = doctor.name;
    granteeId = doctor.userId;
  }
  const now = new Date();
  const g = await store.putGrant({
    patientId: req.patientId,
    grantee: req.grantee.type === 'doctor' ? `user:${granteeId}` : `org:${granteeId}`,
    granteeName,
    scopes: req.scopes,
    purpose: req.purpose,
    validFrom: now.toISOString(),
    validUntil: new Date(now.getTime() + req.days * 86_400_000).toISOString(),
    source: 'consent',
    grantedBy: userId,
  });
  return consentView(g);
}

export async function listConsents(userId: string, patientId: string) {
  await requireOwnPatient(userId, patientId);
  const grants = await store.listGrants(patientId);
  return { consents: grants.filter((g) => g.source === 'consent').map(consentView) };
}

export async function revokeConsent(userId: string, consentId: string) {
  const g = await store.getGrant(consentId);
  if (!g || g.source !== 'consent') throw notFound('授权不存在');
  await requireOwnPatient(userId, g.patientId);
  await store.revokeGrant(g.patientId, g.grantId, new Date().toISOString());
  const after = await store.getGrant(consentId);
  return consentView(after ?? g);
}

export async function accessLog(userId: string, patientId: string) {
  await requireVerifiedPerson(userId, patientId);
  const entries = await store.listAudit(patientId);
  return { entries: entries.map(({ at, actorName, actorRole, resource, purpose, outcome, basis }) => ({ at, actorName, actorRole, resource, purpose, outcome, basis })) };
}

/** The people who currently let me (or my organisation) read their data; names only, no health data. */
export async function sharedWithMe(principal: Principal) {
  const mine = granteesOf(principal).filter((g) => !g.startsWith('role:'));
  const grants = (await Promise.all(mine.map((g) => store.listGrantsTo(g)))).flat().filter((g) => isActive(g));
  const items = [];
  for (const g of grants) {
    const p = await getPatient(g.patientId);
    if (!p) continue;
    items.push({
      grantId: g.grantId,
      patientId: g.patientId,
      patientName: p.name,
      sex: p.sex,
      birthDate: p.birthDate,
      purpose: g.purpose,
      scopes: g.scopes,
      validUntil: g.validUntil,
      via: g.grantee.startsWith('org:') ? ('org' as const) : ('doctor' as const),
      source: g.source,
    });
  }
  return { items };
}
