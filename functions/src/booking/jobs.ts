/**
 * Scheduled jobs of booking (serverless.yml `schedule` events):
 *   expireHolds         every minute: holds past their expiry give their place back (once)
 *   dayBeforeReminders  18:00 Beijing: tomorrow's confirmed appointments get a reminder (once)
 *   closeSessions       23:30 Beijing: appointments of sessions that are over end (爽约 or seen)
 */
import { addDays, bookingPausedUntil, localDate, toLocalIso } from '@hospital/shared';
import { logger } from '#lib/logger';
import { listDaySchedules, shardCount, type ScheduleItem } from '../catalog/schedule-store';
import { getPatient, pauseBooking, personKey } from '../patients/store';
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

/**
 * After a session: who never came is 爽约 (no_show: the place stays used, the fee is kept) and the
 * date goes on the person's record in the same write; who checked in but was never called on was
 * seen (completed). Conditional transitions: safe to re-run.
 */
export async function closeSession(s: ScheduleItem, now = Date.now()): Promise<{ noShows: number; completed: number }> {
  const out = { noShows: 0, completed: 0 };
  if (s.stopped || Date.parse(s.endsAt) > now) return out;
  const at = toLocalIso(now);
  for (const a of await store.listBySchedule(s.id, shardCount(s))) {
    if (a.status === 'confirmed') {
      const person = await getPatient(a.patientId);
      const key = person && personKey(person.idNumber);
      if (await store.transition(a, { event: 'miss', also: key ? [store.noShowEntry(key, a.date)] : [] }, at)) {
        out.noShows++;
        const pausedUntil = key ? await applyNoShowRule(key, localDate(now)) : undefined;
        await tell({ ...a, status: 'no_show' }, 'missed_visit', pausedUntil ? `已记为爽约；因多次爽约，${pausedUntil}前暂停网上预约` : undefined);
      }
    } else if (a.status === 'checked_in' && (await store.transition(a, { event: 'complete' }, at))) out.completed++;
  }
  return out;
}

/** 爽约 rule (shared NO_SHOW_POLICY): enough recent no-shows pause the person's online booking. */
async function applyNoShowRule(key: string, today: string): Promise<string | undefined> {
  const until = bookingPausedUntil(await store.noShowDates(key), today);
  if (until && (await pauseBooking(key, until))) logger.info('online booking paused after no-shows', { until });
  return until;
}

/** Today's sessions that are over, and yesterday's (a missed run catches up). */
export async function closeSessions(now = Date.now()): Promise<{ noShows: number; completed: number }> {
  const total = { noShows: 0, completed: 0 };
  for (const date of [addDays(localDate(now), -1), localDate(now)]) {
    for (const s of await listDaySchedules(date)) {
      const r = await closeSession(s, now);
      total.noShows += r.noShows;
      total.completed += r.completed;
    }
  }
  logger.info('sessions closed', total);
  return total;
}

// Lambda entry points (EventBridge schedule events carry nothing we need).
export const expireHoldsHandler = withProviderSecrets(async () => expireHolds());
export const remindersHandler = withProviderSecrets(async () => dayBeforeReminders());
export const closeSessionsHandler = withProviderSecrets(async () => closeSessions());
