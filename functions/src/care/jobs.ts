/**
 * Scheduled jobs of family-doctor contracts (serverless.yml `schedule` events):
 *   expireContracts    00:10 Beijing: contracts whose last day has passed become expired, the
 *                      person's lock is released and the team's access revoked (once)
 *   renewalReminders   09:00 Beijing: residents whose term ends in 30 or 7 days are reminded (once each)
 * Contracts read as expired from the day after their last day even before the job runs.
 */
import { addDays, localDate, RENEWAL_WINDOW_DAYS } from '@hospital/shared';
import { logger } from '#lib/logger';
import { revokeTeam } from './grants';
import * as store from './store';
import { tellResident } from './tell';
import { withProviderSecrets } from '#lib/providers/secrets';

/** How far back the expiry sweep looks, in case a run was missed. */
const CATCH_UP_DAYS = 7;

export async function expireContracts(now = Date.now()): Promise<{ expired: number }> {
  const today = localDate(now);
  let expired = 0;
  for (let back = CATCH_UP_DAYS; back >= 1; back--) {
    for (const id of await store.contractsEndingOn(addDays(today, -back))) {
      const c = await store.getContract(id);
      if (!c || c.status !== 'active' || !c.endDate || c.endDate >= today) {
        if (c && c.status !== 'active') await store.deleteEndsMarker(id);
        continue;
      }
      const at = new Date(now).toISOString();
      const ok = await store.transition(c, ['active'], { status: 'expired', expiredAt: at, updatedAt: at }, 'untouched', 'delete', {
        expression: 'endDate < :today',
        values: { ':today': today },
      });
      if (!ok) continue;
      // The lock may already name a newer contract (signed after this one lapsed): leave that one.
      await store.releaseLockIfHeld(c);
      await revokeTeam(c);
      expired++;
    }
  }
  logger.info('contracts expired', { expired });
  return { expired };
}

export async function renewalReminders(now = Date.now()): Promise<{ reminded: number }> {
  const today = localDate(now);
  let reminded = 0;
  for (const days of [RENEWAL_WINDOW_DAYS - 1, 7]) {
    const endDate = addDays(today, days);
    for (const id of await store.contractsEndingOn(endDate)) {
      const c = await store.getContract(id);
      if (!c || c.status !== 'active' || c.endDate !== endDate) continue;
      if (await store.markOnce(id, 'renewalRemindedFor', `${endDate}:${days}`)) {
        await tellResident(c, 'contract_renewal', `服务期至 ${endDate}`);
        reminded++;
      }
    }
  }
  logger.info('renewal reminders', { reminded });
  return { reminded };
}

export const expireHandler = withProviderSecrets(async () => expireContracts());
export const renewalRemindersHandler = withProviderSecrets(async () => renewalReminders());
