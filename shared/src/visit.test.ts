import { describe, expect, it } from 'vitest';
import { canApplyVisit, isFinishedVisit, joinRefusal, joinWindow, tokenSeconds, TOKEN_MAX_SECONDS, VISIT_TRANSITIONS, VisitStatus, drugByCode, FORMULARY, TEST_CATALOGUE } from './visit';

const at = (iso: string) => Date.parse(iso);
const v = { status: 'scheduled' as const, scheduledAt: '2025-06-01T09:00:00+08:00', endsAt: '2025-06-01T09:30:00+08:00' };

describe('the visit state machine', () => {
  it('the patient arriving opens the waiting room; a doctor arriving starts the visit', () => {
    expect(VISIT_TRANSITIONS.patient_join.to).toBe('waiting');
    expect(canApplyVisit('scheduled', 'patient_join')).toBe(true);
    expect(canApplyVisit('waiting', 'patient_join')).toBe(false);
    expect(canApplyVisit('waiting', 'doctor_join')).toBe(true);
    expect(canApplyVisit('scheduled', 'doctor_join')).toBe(true);
    expect(canApplyVisit('in_progress', 'doctor_join')).toBe(false);
  });

  it('only a started visit ends; only one that has not started is cancelled or a no-show', () => {
    expect(canApplyVisit('in_progress', 'end')).toBe(true);
    expect(canApplyVisit('scheduled', 'end')).toBe(false);
    expect(canApplyVisit('in_progress', 'cancel')).toBe(false);
    expect(canApplyVisit('waiting', 'no_show')).toBe(false);
    expect(canApplyVisit('scheduled', 'no_show')).toBe(true);
  });

  it('nothing leaves a finished visit', () => {
    for (const s of VisitStatus.options.filter(isFinishedVisit)) {
      for (const e of Object.keys(VISIT_TRANSITIONS) as (keyof typeof VISIT_TRANSITIONS)[]) expect(canApplyVisit(s, e)).toBe(false);
    }
  });
});

describe('the join window', () => {
  it('opens 15 minutes before the start and closes 30 minutes after the end', () => {
    const w = joinWindow(v);
    expect(w.opensAt).toBe(at('2025-06-01T08:45:00+08:00'));
    expect(w.closesAt).toBe(at('2025-06-01T10:00:00+08:00'));
    expect(joinRefusal(v, at('2025-06-01T08:44:59+08:00'))).toBe('TOO_EARLY');
    expect(joinRefusal(v, at('2025-06-01T08:45:00+08:00'))).toBeNull();
    expect(joinRefusal(v, at('2025-06-01T09:59:59+08:00'))).toBeNull();
    expect(joinRefusal(v, at('2025-06-01T10:00:00+08:00'))).toBe('TOO_LATE');
    expect(joinRefusal({ ...v, status: 'ended' }, at('2025-06-01T09:10:00+08:00'))).toBe('VISIT_FINISHED');
  });

  it('a token lives to the window’s close or the room’s expiry, at most two hours, at least a minute', () => {
    const now = at('2025-06-01T09:00:00+08:00');
    expect(tokenSeconds(now + 3600_000, now + 10 * 3600_000, now)).toBe(3600);
    expect(tokenSeconds(now + 10 * 3600_000, now + 10 * 3600_000, now)).toBe(TOKEN_MAX_SECONDS);
    expect(tokenSeconds(now + 10 * 3600_000, now + 600_000, now)).toBe(600);
    expect(tokenSeconds(now + 1000, now + 1000, now)).toBe(60);
  });
});

describe('the formulary and test catalogue', () => {
  it('codes are unique and prices are whole fen', () => {
    expect(new Set(FORMULARY.map((d) => d.code)).size).toBe(FORMULARY.length);
    expect(new Set(TEST_CATALOGUE.map((t) => t.code)).size).toBe(TEST_CATALOGUE.length);
    for (const p of [...FORMULARY.map((d) => d.price), ...TEST_CATALOGUE.map((t) => t.price)]) expect(Number.isInteger(p) && p > 0).toBe(true);
    expect(drugByCode('amlodipine-5')?.strength).toBe('5mg');
    expect(drugByCode('morphine')).toBeUndefined();
  });
});
