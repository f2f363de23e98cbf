/** The payment hold's countdown (待支付: the place is kept until `holdExpiresAt`). */
export interface Countdown {
  ms: number;
  expired: boolean;
  /** `09:58`; `00:00` once expired. */
  text: string;
}

export function countdown(untilIso: string | undefined, now: number = Date.now()): Countdown {
  const until = untilIso ? Date.parse(untilIso) : NaN;
  const ms = Number.isNaN(until) ? 0 : Math.max(0, until - now);
  // Round up: "00:01" until the very last second, never "00:00" while the hold still stands.
  const total = Math.ceil(ms / 1000);
  const mm = String(Math.floor(total / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return { ms, expired: ms <= 0, text: `${mm}:${ss}` };
}
