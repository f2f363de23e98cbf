/**
 * 签约居民优先预约: a session's reserved places belong to people whose active contract is with a
 * team the session's doctor is on. Booking puts the returned check into its own transaction,
 * so a contract cancelled or expired a moment earlier cannot take a reserved place.
 */
import { localDate } from '@hospital/shared';
import { personHash } from './access';
import * as store from './store';

/** Teams the catalog doctor is on (members name their catalog doctor). */
export async function teamsOfDoctor(doctorId: string): Promise<string[]> {
  return (await store.listTeams()).filter((t) => t.members.some((m) => m.doctorId === doctorId)).map((t) => t.teamId);
}

/**
 * The transaction part that entitles this person to the doctor's reserved places, or undefined
 * when they hold no active contract with one of the doctor's teams today.
 */
export async function reservedPlaceCheck(idNumber: string, doctorId: string, today = localDate()) {
  const hash = personHash(idNumber);
  const [teams, lock] = await Promise.all([teamsOfDoctor(doctorId), store.getLock(hash)]);
  if (!lock?.active || !lock.teamId || !teams.includes(lock.teamId) || lock.endDate < today) return undefined;
  return store.activeLockCheck(hash, lock, today);
}
