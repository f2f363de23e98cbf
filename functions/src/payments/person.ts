/**
 * Bills and admissions come from the hospital system, which knows a person by ID card number,
 * not by our ids. They are filed under a hash of the number (the number itself never sits in a
 * key), and a family sees them for each person on their account with the same number.
 */
import { maskIdCard } from '@hospital/shared';
import { requireOwnPatient, type PatientItem } from '../patients/service';
import { listPatients, personKey } from '../patients/store';

/** The patients feature's person key (one form across features). */
export const personHash = personKey;
export const maskedId = (idNumber: string) => maskIdCard(idNumber.toUpperCase());

/** A person on the caller's account (404 otherwise) and their hash. */
export async function ownPerson(userId: string, patientId: string): Promise<{ patient: PatientItem; hash: string }> {
  const patient = await requireOwnPatient(userId, patientId);
  return { patient, hash: personHash(patient.idNumber) };
}

/** Every person on the account with their hash. */
export async function ownPersons(userId: string): Promise<{ patient: PatientItem; hash: string }[]> {
  return (await listPatients(userId)).map((patient) => ({ patient, hash: personHash(patient.idNumber) }));
}
