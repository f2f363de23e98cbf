/**
 * What follows a durable write: push to the console and the caller, open or close the
 * dispatchers' access to the person's record. Each step may fail on its own; none can undo or
 * delay the stored request for long — the response waits at most AFTER_BUDGET_MS, and whatever
 * did not happen is caught up by polling (the console lists from the table) or on the next read
 * (the grant is re-opened when a dispatcher opens the detail).
 */
import { emergencyTopic, isOpenEmergency } from '@hospital/shared';
import { logger } from '#lib/logger';
import { dispatchCentre } from '#lib/authority';
import { publish, roleTopic, userTopic } from '#lib/realtime';
import { grantWhileActive, revokeGrant } from '../records/access';
import { getEmergency, markGrantOpened, type EmergencyItem } from './store';

export const AFTER_BUDGET_MS = 1500;
/** The emergency grant lasts while the request is open, at most this long. */
const GRANT_HOURS = 24;

export async function runAfter(what: string, id: string, steps: Record<string, () => Promise<unknown>>): Promise<void> {
  const all = Promise.all(
    Object.entries(steps).map(([name, step]) =>
      step().catch((e: unknown) => logger.warn('emergency follow-up failed', { what, step: name, emergency: id, error: (e as Error)?.name })),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((r) => (timer = setTimeout(() => {
    logger.warn('emergency follow-up still running', { what, emergency: id });
    r();
  }, AFTER_BUDGET_MS)));
  await Promise.race([all, budget]);
  clearTimeout(timer);
}

export type LiveType = 'emergency.created' | 'emergency.updated';

/**
 * Tells the console and the caller that something changed; clients then re-read. Devices whose
 * presses are linked to the request hear it on their own press's topic, under their own id.
 */
export async function pushChange(e: EmergencyItem, type: LiveType) {
  const topics = [roleTopic('dispatcher'), emergencyTopic(e.id), ...(e.userId ? [userTopic(e.userId)] : [])];
  await Promise.all([
    publish(topics, { type, data: { id: e.id, status: e.status, severity: e.severity, updatedAt: e.updatedAt } }),
    ...(e.linkedIds ?? []).map((id) => publish([emergencyTopic(id)], { type: 'emergency.updated', data: { id, status: e.status, updatedAt: e.updatedAt } })),
  ]);
}

/** The dispatch centre (not any dispatcher anywhere): its dispatchers read the record. */
const grantee = () => `org:${dispatchCentre()}` as const;

/** The dispatch centre's dispatchers may read the person's record for this emergency while it is open. */
export async function openGrant(e: EmergencyItem): Promise<void> {
  if (!e.patientId) return;
  const from = new Date(e.createdAt);
  await grantWhileActive({
    patientId: e.patientId,
    grantee: grantee(),
    scopes: ['record'],
    purpose: 'emergency',
    source: 'emergency',
    sourceId: e.id,
    validFrom: from.toISOString(),
    validUntil: new Date(from.getTime() + GRANT_HOURS * 3600_000).toISOString(),
    grantedBy: e.userId ?? 'emergency',
  });
  await markGrantOpened(e.id, new Date().toISOString());
  // Ended while the grant was being written (a fast false alarm): take it back again.
  const now = await getEmergency(e.id);
  if (now && !isOpenEmergency(now.status)) await closeGrant(now);
}

export async function closeGrant(e: EmergencyItem): Promise<void> {
  if (!e.patientId) return;
  // The id grantWhileActive gives it (source-sourceId-grantee).
  await revokeGrant(e.patientId, `emergency-${e.id}-${grantee().replace(/[^\w-]/g, '_')}`, new Date().toISOString());
}
