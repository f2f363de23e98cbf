import { describe, expect, it } from 'vitest';
import { canApply, initialStatus, isActive, paymentOutcome, TRANSITIONS } from './appointment';

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
