/**
 * Scheduled jobs of booking (serverless.yml `schedule` events):
 *   expireHolds         every minute: holds past their expiry give their place back (once)
 *   dayBeforeReminders  18:00 Beijing: tomorrow's confirmed appointments get a reminder (once)
 */
import { addDays, localDate, toLocalIso } from '@hospital/shared';
import { logger } from '#lib/logger';
import { listDaySchedules, shardCount } from '../catalog/schedule-store';
import { tell } from './messages';
import * as store from './store';
import { withProviderSecrets } from '#lib/providers/secrets';

/** Ends one expired hold; false when it was paid, cancelled or expired by someone else first. */
export async function expireHold(appointmentId: string, now = Date.now()): Promise<boolean> {
  const a = await store.getAppointment(appointmentId);
  if (!a || a.status !== 'pending_payment') return false;
  const nowIso = toLocalIso(now);
  const ok = await store.transition(a, { event: 'expire', condition: { expression: 'holdExpiresAt <= :now', values: { ':now': nowIso } } }, nowIso);
  if (ok) await tell({ ...a, status: 'expired' }, 'hold_expired');
  return ok;
}

export async function expireHolds(now = Date.now()): Promise<{ expired: number }> {
  let expired = 0;
  for (const id of await store.expiredHolds(new Date(now))) if (await expireHold(id, now)) expired++;
  if (expired) logger.info('holds expired', { expired });
  return { expired };
}

export async function dayBeforeReminders(now = Date.now()): Promise<{ reminded: number }> {
  const tomorrow = addDays(localDate(now), 1);
  let reminded = 0;
  for (const s of await listDaySchedules(tomorrow)) {
    if (s.stopped) continue;
    for (const a of await store.listBySchedule(s.id, shardCount(s))) {
      if (a.status !== 'confirmed' || a.remindedAt) continue;
      // Marked first, conditionally: a re-run of the job never reminds twice.
      if (await store.annotate(a.id, { remindedAt: toLocalIso(now) }, 'attribute_not_exists(remindedAt)')) {
        await tell(a, 'visit_reminder');
        reminded++;
      }
    }
  }
  logger.info('day-before reminders', { date: tomorrow, reminded });
  return { reminded };
}

// Lambda entry points (EventBridge schedule events carry nothing we need).
export const expireHoldsHandler = withProviderSecrets(async () => expireHolds());
export const remindersHandler = withProviderSecrets(async () => dayBeforeReminders());
