/**
 * Patient/$everything. A patient exports a person on their own account; staff need access to
 * both the record and the reports (two audited reads, as for the separate routes).
 */
import type { AccessPurpose } from '@hospital/shared';
import { notFound } from '#lib/errors';
import { RawReply } from '#lib/http/index';
import type { Principal } from '#lib/tokens';
import { requireOwnPatient } from '../patients/service';
import { getPatient, personKey } from '../patients/store';
import { authorizeStaffRead } from '../records/access';
import { recordView } from '../records/service';
import { getRecord } from '../records/store';
import { listForPerson } from '../reports/store';
import { everythingBundle } from './bundle';

const publicBase = () => (process.env.PUBLIC_API_BASE || process.env.API_BASE || 'https://api.example-hospital.cn').replace(/\/+$/, '');

export async function everything(principal: Principal, patientId: string, purpose: AccessPurpose = 'treatment') {
  let patient;
  if (principal.roles.includes('patient')) {
    patient = await requireOwnPatient(principal.userId, patientId);
  } else {
    const resource = 'fhir:Patient/$everything';
    await authorizeStaffRead({ principal, patientId, scope: 'record', purpose, resource });
    await authorizeStaffRead({ principal, patientId, scope: 'reports', purpose, resource });
    patient = await getPatient(patientId);
    if (!patient) throw notFound('就诊人不存在');
  }
  const record = recordView(patientId, await getRecord(patientId));
  const reports = (await listForPerson(personKey(patient.idNumber))).filter((r) => r.status !== 'entered-in-error');
  const bundle = everythingBundle({ patient, record, reports, base: publicBase() });
  return new RawReply(200, JSON.stringify(bundle), { 'content-type': 'application/fhir+json; charset=utf-8' });
}
