/**
 * How the result page asks `GET /v1/payments/{orderNo}`: quickly at first (most payments are
 * confirmed within seconds of the provider's notification), then backing off, and after a few
 * minutes it stops asking by itself and offers 刷新 (the sweep job settles a lost notification;
 * the page need not hammer the API while a bank is slow).
 */
export const POLL_DELAYS_MS = [1000, 1000, 2000, 2000, 3000, 3000, 5000, 5000] as const;
export const POLL_MAX_DELAY_MS = 10_000;
/** Stop polling by itself after this long without a final answer. */
export const POLL_GIVE_UP_MS = 3 * 60_000;

/** Wait before poll number `attempt` (0 = the first re-poll after the first answer). */
export function pollDelay(attempt: number): number {
  if (attempt < 0) return POLL_DELAYS_MS[0];
  if (attempt < POLL_DELAYS_MS.length) return POLL_DELAYS_MS[attempt];
  // Beyond the table: +50 % per poll, capped.
  const over = attempt - POLL_DELAYS_MS.length + 1;
  return Math.min(POLL_MAX_DELAY_MS, Math.round(POLL_DELAYS_MS[POLL_DELAYS_MS.length - 1] * 1.5 ** over));
}

/** The next poll's delay, or null when polling should stop (final answer, or given up). */
export function nextPoll(state: { final: boolean; attempt: number; startedAt: number; now: number }): number | null {
  if (state.final) return null;
  if (state.now - state.startedAt >= POLL_GIVE_UP_MS) return null;
  return pollDelay(state.attempt);
}
