/** Which of today's sessions the call screen opens on, and the words of a queue entry. */
import { SESSION_INFO, type Session } from '@hospital/shared';

interface Pickable {
  scheduleId: string;
  session: Session;
  stopped: boolean;
}

/**
 * The session running now or next (by the hospital clock `HH:mm`), skipping stopped ones; after
 * the last one ends, the last one (a nurse may still call the latecomers).
 */
export function defaultSession<T extends Pickable>(items: readonly T[], clock: string): T | undefined {
  const running = items.filter((s) => !s.stopped).sort((a, b) => SESSION_INFO[a.session].order - SESSION_INFO[b.session].order);
  return running.find((s) => clock < SESSION_INFO[s.session].end) ?? running[running.length - 1] ?? items[0];
}

export const ENTRY_STATE_LABEL = { booked: '未签到', waiting: '候诊中', called: '就诊中', passed: '已叫过' } as const;
