/**
 * Bills and admissions come from the hospital system, which knows a person by ID card number,
 * not by our ids. They are filed under the person key (an HMAC of the number; the number itself
 * never sits in a key), and a family sees them only for people verified on their account (实名认证).
 */
import { maskIdCard } from '@hospital/shared';
import { requireVerifiedPerson, verifiedPeople } from '../identity/access';
import { personKey, type PatientItem } from '../patients/store';

/** The patients feature's person key (one form across features). */
export const personHash = personKey;
export const maskedId = (idNumber: string) => maskIdCard(idNumber.toUpperCase());

/** A verified person on the caller's account (404 / 403 otherwise) and their hash. */
export async function ownPerson(userId: string, patientId: string): Promise<{ patient: PatientItem; hash: string }> {
  const patient = await requireVerifiedPerson(userId, patientId);
  return { patient, hash: personHash(patient.idNumber) };
}

/** Every verified person on the account with their hash (the others' bills stay hidden). */
export async function ownPersons(userId: string): Promise<{ patient: PatientItem; hash: string }[]> {
  return (await verifiedPeople(userId)).map((patient) => ({ patient, hash: personHash(patient.idNumber) }));
}
