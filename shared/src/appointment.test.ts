import { describe, expect, it } from 'vitest';
import { bookingPausedUntil, canApply, initialStatus, isActive, isOngoing, paymentOutcome, TRANSITIONS } from './appointment';

describe('the appointment state machine', () => {
  it('free sessions confirm at once, paid ones are held', () => {
    expect(initialStatus(0)).toBe('confirmed');
    expect(initialStatus(1)).toBe('pending_payment');
  });

  it('a hold can be paid, expire or be cancelled; nothing else', () => {
    expect(canApply('pending_payment', 'pay')).toBe(true);
    expect(canApply('pending_payment', 'expire')).toBe(true);
    expect(canApply('pending_payment', 'cancel')).toBe(true);
    expect(canApply('pending_payment', 'check_in')).toBe(false);
    expect(canApply('expired', 'pay')).toBe(false);
    expect(canApply('confirmed', 'expire')).toBe(false);
  });

  it('places come back only on cancel and expiry', () => {
    const back = Object.entries(TRANSITIONS).filter(([, t]) => t.returnsPlace).map(([e]) => e);
    expect(back.sort()).toEqual(['cancel', 'expire']);
  });

  it('a payment that loses the race to expiry or cancel is refunded', () => {
    expect(paymentOutcome('pending_payment', false)).toBe('confirm');
    expect(paymentOutcome('confirmed', true)).toBe('duplicate');
    expect(paymentOutcome('confirmed', false)).toBe('refund');
    expect(paymentOutcome('expired', false)).toBe('refund');
    expect(paymentOutcome('cancelled', false)).toBe('refund');
  });

  it('every end of an active appointment clears the one-per-session mark', () => {
    for (const t of Object.values(TRANSITIONS)) expect(t.endsActive).toBe(!isActive(t.to));
  });
});

describe('after the session', () => {
  it('only a confirmed appointment can be missed; it ends without giving the place back or refunding', () => {
    expect(canApply('confirmed', 'miss')).toBe(true);
    for (const s of ['pending_payment', 'checked_in', 'completed', 'cancelled'] as const) expect(canApply(s, 'miss')).toBe(false);
    expect(TRANSITIONS.miss).toMatchObject({ to: 'no_show', returnsPlace: false, refundsPayment: false, endsActive: true });
  });

  it('an active appointment whose session has ended is no longer ongoing', () => {
    const endsAt = '2026-11-22T12:00:00+08:00';
    expect(isOngoing('confirmed', endsAt, Date.parse('2026-11-22T11:59:00+08:00'))).toBe(true);
    expect(isOngoing('confirmed', endsAt, Date.parse('2026-11-22T12:00:00+08:00'))).toBe(false);
    expect(isOngoing('completed', endsAt, Date.parse('2026-11-22T09:00:00+08:00'))).toBe(false);
  });
});

describe('爽约: three no-shows within 90 days pause online booking for 90 days from the last', () => {
  it('counts only the last three, and only when they fall within the window', () => {
    expect(bookingPausedUntil(['2026-09-01', '2026-10-01'], '2026-11-22')).toBeUndefined();
    expect(bookingPausedUntil(['2026-09-01', '2026-10-01', '2026-11-20'], '2026-11-22')).toBe('2027-02-18');
    // 2026-08-01 → 2026-11-20 spans 111 days: not within 90.
    expect(bookingPausedUntil(['2026-08-01', '2026-10-01', '2026-11-20'], '2026-11-22')).toBeUndefined();
    // An old run of three does not matter once its pause is over.
    expect(bookingPausedUntil(['2026-01-01', '2026-01-02', '2026-01-03'], '2026-11-22')).toBeUndefined();
    expect(bookingPausedUntil(['2026-01-01', '2026-01-02', '2026-01-03'], '2026-04-03')).toBe('2026-04-03');
    expect(bookingPausedUntil(['2026-01-01', '2026-01-02', '2026-01-03'], '2026-04-04')).toBeUndefined();
  });
});
