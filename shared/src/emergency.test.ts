import { describe, expect, it } from 'vitest';
import { accuracyText, EmergencyStatus, isEscalated, isOpenEmergency, nextEmergencyStatus, severityOf, type EmergencyAction } from './emergency';

describe('severity of a call for help', () => {
  it('chest pain and breathing difficulty are critical whatever else is chosen', () => {
    expect(severityOf(['chest_pain'])).toBe(1);
    expect(severityOf(['other', 'breathing'])).toBe(1);
    expect(severityOf(['fall_injury', 'allergy'])).toBe(2);
    expect(severityOf(['other'])).toBe(3);
  });
  it('a press with nothing chosen is urgent, not low', () => {
    expect(severityOf([])).toBe(2);
  });
});

/** The whole table: every status × every action, allowed or not. */
const ALLOWED: Record<EmergencyAction, Partial<Record<EmergencyStatus, EmergencyStatus>>> = {
  acknowledge: { received: 'acknowledged' },
  dispatch: { received: 'dispatched', acknowledged: 'dispatched', dispatched: 'dispatched' },
  arrive: { dispatched: 'arrived' },
  close: { acknowledged: 'closed', dispatched: 'closed', arrived: 'closed' },
  false_alarm: { received: 'false_alarm', acknowledged: 'false_alarm', dispatched: 'false_alarm', arrived: 'false_alarm' },
  cancel: { received: 'cancelled', acknowledged: 'cancelled', dispatched: 'cancelled' },
};

describe('state transitions of an emergency', () => {
  const cases = EmergencyStatus.options.flatMap((from) => (Object.keys(ALLOWED) as EmergencyAction[]).map((action) => [from, action, ALLOWED[action][from] ?? null] as const));

  it.each(cases)('from %s, %s → %s', (from, action, to) => {
    expect(nextEmergencyStatus(from, action)).toBe(to);
  });

  it('nothing moves an ended request (closed, false alarm, cancelled, merged)', () => {
    for (const s of EmergencyStatus.options.filter((x) => !isOpenEmergency(x))) {
      for (const a of Object.keys(ALLOWED) as EmergencyAction[]) expect(nextEmergencyStatus(s, a)).toBeNull();
    }
  });

  it('a request must be taken (acknowledged or dispatched) before it is closed; the caller cannot cancel once help has arrived', () => {
    expect(nextEmergencyStatus('received', 'close')).toBeNull();
    expect(nextEmergencyStatus('arrived', 'cancel')).toBeNull();
  });
});

describe('escalation of a waiting request', () => {
  const at = '2026-12-04T06:00:00.000Z';
  const t0 = Date.parse(at);
  it('escalates once it has waited the configured seconds unacknowledged, not a millisecond before', () => {
    expect(isEscalated({ status: 'received', createdAt: at }, t0 + 89_999, 90)).toBe(false);
    expect(isEscalated({ status: 'received', createdAt: at }, t0 + 90_000, 90)).toBe(true);
    expect(isEscalated({ status: 'received', createdAt: at }, t0 + 10_000, 10)).toBe(true);
  });
  it('taking it (or any later state) ends the escalation', () => {
    for (const status of ['acknowledged', 'dispatched', 'arrived', 'closed', 'false_alarm', 'cancelled'] as const) {
      expect(isEscalated({ status, createdAt: at }, t0 + 3_600_000, 90)).toBe(false);
    }
  });
  it('accuracy is said honestly: unknown or 0 is 精度未知', () => {
    expect([accuracyText(undefined), accuracyText(0), accuracyText(Number.NaN), accuracyText(12.4), accuracyText(0.3)]).toEqual(['精度未知', '精度未知', '精度未知', '精度约 12 米', '精度约 1 米']);
  });
});
