import { logger } from '#lib/logger';
import { publish, userTopic } from '#lib/realtime';
import * as store from './admissions-store';
import type { AdmissionItem } from './admissions-store';

/** Live update to the family; the reminder when a charge took the balance under the line. */
export async function admissionChanged(after: AdmissionItem, remind: boolean) {
  const fans = await store.followers(after.admissionId);
  const topics = fans.map((f) => userTopic(f.userId));
  await publish(topics, { type: 'admission.updated', data: { admissionId: after.admissionId, balance: after.balance, status: after.status } });
  if (remind) {
    // TODO(notifier): a 'deposit_low_balance' template in lib/notifier.ts (it takes appointment
    // messages only today); until then the family gets the live message and the page's flag.
    logger.info('low balance reminder', { admission: after.admissionId, followers: fans.length });
    await publish(topics, { type: 'admission.low_balance', data: { admissionId: after.admissionId, balance: after.balance, threshold: after.lowBalanceThreshold } });
  }
}
