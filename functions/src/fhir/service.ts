/**
 * Patient/$everything. A patient exports a person on their own account; staff need access to
 * both the record and the reports (two audited reads, as for the separate routes).
 */
import type { AccessPurpose } from '@hospital/shared';
import { notFound } from '#lib/errors';
import { RawReply } from '#lib/http/index';
import type { Principal } from '#lib/tokens';
import { requireVerifiedPerson } from '../identity/access';
import { getPatient, personKey } from '../patients/store';
import { authorizeStaffRead, granteesOf, isActive } from '../records/access';
import { listGrants } from '../records/store';
import { recordView } from '../records/service';
import { getRecord } from '../records/store';
import { listForPerson } from '../reports/store';
import { readingObservations } from '../devices/fhir';
import { readingsOf } from '../devices/store';
import { everythingBundle, type Resource } from './bundle';

const publicBase = () => (process.env.PUBLIC_API_BASE || process.env.API_BASE || 'https://api.example-hospital.cn').replace(/\/+$/, '');

export async function everything(principal: Principal, patientId: string, purpose: AccessPurpose = 'treatment') {
  let patient;
  if (principal.roles.includes('patient')) {
    patient = await requireVerifiedPerson(principal.userId, patientId);
  } else {
    const resource = 'fhir:Patient/$everything';
    await authorizeStaffRead({ principal, patientId, scope: 'record', purpose, resource });
    await authorizeStaffRead({ principal, patientId, scope: 'reports', purpose, resource });
    patient = await getPatient(patientId);
    if (!patient) throw notFound('就诊人不存在');
  }
  const record = recordView(patientId, await getRecord(patientId));
  const reports = (await listForPerson(personKey(patient.idNumber))).filter((r) => r.status !== 'entered-in-error');
  // Kiosk readings: for staff only when a grant covers readings too (then the read is audited).
  const mayReadReadings = principal.roles.includes('patient') || (await coversReadings(principal, patientId, purpose));
  const readings = mayReadReadings ? await readingsOf(patientId, {}) : [];
  const bundle = everythingBundle({ patient, record, reports, base: publicBase(), extra: (subject) => readingObservations(readings, subject) as Resource[] });
  return new RawReply(200, JSON.stringify(bundle), { 'content-type': 'application/fhir+json; charset=utf-8' });
}

async function coversReadings(principal: Principal, patientId: string, purpose: AccessPurpose) {
  const mine = new Set(granteesOf(principal));
  const grants = await listGrants(patientId);
  if (!grants.some((g) => isActive(g) && mine.has(g.grantee) && g.scopes.includes('readings') && g.purpose === purpose)) return false;
  await authorizeStaffRead({ principal, patientId, scope: 'readings', purpose, resource: 'fhir:Patient/$everything' });
  return true;
}
