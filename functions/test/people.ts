/**
 * People for tests, through the real paths: the account's PIPL consents (privacy feature), the
 * patients service, and in-person verification by a nurse at a window (identity feature) — the
 * way a resident without a smartphone face check is verified.
 */
import { randomUUID } from 'node:crypto';
import { api, type CreatePatientRequest, type PatientView } from '@hospital/shared';
import type * as z from 'zod';
import { verifyAccessToken, type Principal } from '#lib/tokens';
import { handler as patientsHandler } from '../src/patients/handler';
import { call, type CallOptions } from './http';
import * as identity from '../src/identity/service';
import * as patients from '../src/patients/service';
import { grantConsents } from '../src/privacy/service';

/** A nurse of a test hospital; a fresh one per call so staff rate limits never bind across tests. */
export const windowNurse = (orgId = 'org-test-window'): Principal => ({ userId: `u-nurse-${randomUUID()}`, roles: ['nurse'], memberships: [{ orgId, roles: ['nurse'] }], name: '窗口护士' });

/** The account accepts the separate consents that adding people and reading their data need. */
export const consentAll = (userId: string) => grantConsents(userId, ['id_number', 'health_data', 'precise_location']);

/** A nurse checks the ID card of a person shown by their window code. */
export async function verifyAtWindow(userId: string, patientId: string, idNumber: string) {
  const { code } = await identity.personCode(userId, patientId);
  return identity.staffVerify(windowNurse(), { code, idNumber, place: '测试医院门诊实名窗口' });
}

/** Adds a person to an account (consents given), verified unless `verified: false`. */
export async function addPerson(userId: string, body: z.input<typeof CreatePatientRequest>, o: { verified?: boolean } = {}): Promise<PatientView> {
  await consentAll(userId);
  const view = await patients.create(userId, body as z.output<typeof CreatePatientRequest>);
  if (o.verified === false) return view;
  const v = await verifyAtWindow(userId, view.id, body.idNumber);
  return { ...view, verification: v.verification };
}

/** `call(patients, api.patients.create, o)` with the account's consents given first, then verified at a window unless `verified: false`. */
export async function addPersonByRoute(o: CallOptions & { token: string; body: { idNumber: string } & Record<string, unknown>; verified?: boolean }) {
  const { userId } = await verifyAccessToken(o.token);
  await consentAll(userId);
  const r = await call(patientsHandler, api.patients.create, o);
  if (r.status === 201 && o.verified !== false) {
    const v = await verifyAtWindow(userId, r.body.id, o.body.idNumber);
    r.body.verification = v.verification;
  }
  return r;
}
