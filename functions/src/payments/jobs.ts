/**
 * Scheduled entry points (serverless.yml `schedule` events; EventBridge events carry nothing we need):
 *   sweepHandler      every minute: lost notifications, expired orders, unfinished effects and refunds
 *   reconcileHandler  10:00 Beijing: yesterday's provider bills against our ledger (bills are ready by then)
 */
import { addDays, localDate } from '@hospital/shared';
import { withProviderSecrets } from '#lib/providers/secrets';
import { reconcile } from './reconcile';
import { sweep } from './sweep';

export const sweepHandler = withProviderSecrets(async () => sweep());

export const reconcileHandler = withProviderSecrets(async () => {
  const r = await reconcile(addDays(localDate(), -1));
  return { date: r.date, channels: r.channels.map((c) => ({ channel: c.channel, status: c.status, mismatches: c.mismatches.length })) };
});
