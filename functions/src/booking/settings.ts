/** Booking settings from the environment (serverless.yml), with the hospital's defaults. */

/** How long a paid session's place is held for payment (default 10 minutes). */
export function holdMinutes(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.APPOINTMENT_HOLD_MINUTES ?? '');
  return Number.isFinite(n) && n > 0 && n <= 60 ? n : 10;
}
