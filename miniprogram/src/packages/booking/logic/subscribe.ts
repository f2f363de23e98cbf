/**
 * Which message templates to ask consent for before a booking (WeChat subscription messages /
 * Alipay subscription templates): at most three ids per request on both platforms.
 */
import type { NotificationTemplate } from '@hospital/shared';

export const BOOKING_TEMPLATES: readonly NotificationTemplate[] = ['booking_confirmed', 'visit_reminder', 'session_stopped'];

/** Configured, distinct template ids, in order of importance, at most 3 (empty locally: nothing to ask). */
export function templateIdsFor(configured: Readonly<Record<string, string>> | undefined, wanted: readonly string[] = BOOKING_TEMPLATES): string[] {
  const ids: string[] = [];
  for (const t of wanted) {
    const id = configured?.[t]?.trim();
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids.slice(0, 3);
}
