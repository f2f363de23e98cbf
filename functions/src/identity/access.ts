/**
 * The one rule every feature reads before it returns or changes data filed under a person's ID
 * number: the person must be on the caller's account (404 otherwise, so ids cannot be probed),
 * verified on that account (403 PERSON_NOT_VERIFIED with the ways to verify), and the account must
 * hold the separate consent for health data (403 CONSENT_REQUIRED, PIPL Art 29).
 * Routes that use it say `person: 'verified'` in the contract; a test walks them all.
 */
import { localDate, verificationWays, type VerificationMethod } from '@hospital/shared';
import { HttpError } from '#lib/errors';
import { listPatients, personKey, type PatientItem } from '../patients/store';
import { requireOwnPatient } from '../patients/service';
import { requireConsent } from '../privacy/consent';
import { phoneOnRecord } from './store';

export const isVerified = (p: Pick<PatientItem, 'verification'>) => p.verification.state === 'verified';

async function waysFor(p: PatientItem): Promise<VerificationMethod[]> {
  return verificationWays({ birthDate: p.birthDate, hasPhoneOnRecord: Boolean(await phoneOnRecord(personKey(p.idNumber))) }, localDate());
}

export async function notVerified(p: PatientItem): Promise<HttpError> {
  return new HttpError(403, 'PERSON_NOT_VERIFIED', `${p.name}尚未在本账户完成实名认证，按身份证号归档的报告、账单等信息暂不显示`, undefined, undefined, { ways: await waysFor(p) });
}

/** A verified person of this account, with health-data consent; 404 / 403 otherwise. */
export async function requireVerifiedPerson(userId: string, patientId: string): Promise<PatientItem> {
  const p = await requireOwnPatient(userId, patientId);
  if (!isVerified(p)) throw await notVerified(p);
  await requireConsent(userId, 'health_data');
  return p;
}

/** The account's verified people (the others' ID-keyed data is left out, not refused). */
export async function verifiedPeople(userId: string): Promise<PatientItem[]> {
  const verified = (await listPatients(userId)).filter(isVerified);
  if (verified.length) await requireConsent(userId, 'health_data');
  return verified;
}
