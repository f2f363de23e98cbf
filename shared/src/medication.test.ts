import { describe, expect, it } from 'vitest';
import {
  adherence,
  canConfirmAt,
  consecutiveMisses,
  doseIdOf,
  isMissedAt,
  planEndDate,
  REGIMEN_PRESETS,
  scheduleDoses,
  shouldEscalate,
  type DoseStatus,
} from './medication';

/** Beijing wall-clock time as an instant. */
const bj = (s: string) => new Date(`${s}+08:00`);

describe('the dose calendar of a regimen', () => {
  it('2HRZE/4HR once a day is 60 intensive and 120 continuation doses, in time order', () => {
    const preset = REGIMEN_PRESETS[0];
    const doses = scheduleDoses('2025-06-01', preset.phases, ['08:00']);
    expect(doses).toHaveLength(180);
    expect(doses.filter((d) => d.phase === 0)).toHaveLength(60);
    expect(doses[0]).toEqual({ id: '2025-06-01_0800', date: '2025-06-01', time: '08:00', phase: 0 });
    expect(doses[59].date).toBe('2025-07-30');
    expect(doses[60]).toMatchObject({ date: '2025-07-31', phase: 1 });
    expect(doses.at(-1)!.date).toBe(planEndDate('2025-06-01', preset.phases));
    expect(planEndDate('2025-06-01', preset.phases)).toBe('2025-11-27');
  });

  it('two dose times a day give two items per day, sorted whatever order they were given in', () => {
    const doses = scheduleDoses('2025-12-31', [{ days: 2 }], ['20:00', '08:00']);
    expect(doses.map((d) => d.id)).toEqual(['2025-12-31_0800', '2025-12-31_2000', '2026-01-01_0800', '2026-01-01_2000']);
  });
});

describe('missed-dose marking at the end of the Beijing day', () => {
  const dose = { id: doseIdOf('2025-06-01', '20:00'), date: '2025-06-01', status: 'scheduled' as DoseStatus };

  it('an open dose is not missed at 23:59:59 Beijing (15:59:59 UTC) and is missed at 00:00:00', () => {
    expect(isMissedAt(dose, bj('2025-06-01T23:59:59'))).toBe(false);
    expect(isMissedAt(dose, new Date('2025-06-01T15:59:59Z'))).toBe(false);
    expect(isMissedAt(dose, new Date('2025-06-01T16:00:00Z'))).toBe(true);
    expect(isMissedAt(dose, bj('2025-06-02T00:00:00'))).toBe(true);
  });

  it('a UTC date is not the hospital day: 2025-06-01T17:00Z is already 2 June in Beijing', () => {
    const early = { date: '2025-06-02', status: 'scheduled' as DoseStatus };
    expect(canConfirmAt(early, new Date('2025-06-01T17:00:00Z'))).toBe(true);
    expect(canConfirmAt(early, new Date('2025-06-01T15:59:00Z'))).toBe(false);
  });

  it('a taken dose is never missed, and a dose is confirmed on its own day only', () => {
    expect(isMissedAt({ ...dose, status: 'taken' }, bj('2025-06-05T00:00:00'))).toBe(false);
    expect(canConfirmAt(dose, bj('2025-06-01T06:00:00'))).toBe(true);
    expect(canConfirmAt(dose, bj('2025-06-02T00:00:01'))).toBe(false);
    expect(canConfirmAt(dose, bj('2025-05-31T23:00:00'))).toBe(false);
    expect(canConfirmAt({ ...dose, status: 'taken' }, bj('2025-06-01T21:00:00'))).toBe(false);
  });
});

describe('adherence', () => {
  const slots = scheduleDoses('2025-06-01', [{ days: 3 }, { days: 2 }], ['08:00']);
  const with_ = (statuses: DoseStatus[]) => slots.map((s, i) => ({ ...s, status: statuses[i] }));

  it('is taken over due, per phase and overall; today open does not count until the day is over', () => {
    // 1 Jun taken, 2 Jun missed, 3 Jun taken, 4 Jun (today) open, 5 Jun future
    const a = adherence(with_(['taken', 'missed', 'taken', 'scheduled', 'scheduled']), 2, bj('2025-06-04T10:00:00'));
    expect(a.phases[0]).toEqual({ taken: 2, missed: 1, due: 3, percent: 67 });
    expect(a.phases[1]).toEqual({ taken: 0, missed: 0, due: 0, percent: null });
    expect(a.overall).toEqual({ taken: 2, missed: 1, due: 3, percent: 67 });
    expect(a.today).toEqual({ date: '2025-06-04', taken: 0, total: 1, percent: 0 });
  });

  it('a dose taken today counts at once: 100 % for the day', () => {
    const a = adherence(with_(['scheduled', 'scheduled', 'scheduled', 'scheduled', 'scheduled']), 2, bj('2025-06-01T08:30:00'));
    expect(a.overall.percent).toBeNull();
    const b = adherence(with_(['taken', 'scheduled', 'scheduled', 'scheduled', 'scheduled']), 2, bj('2025-06-01T08:30:00'));
    expect(b.today).toEqual({ date: '2025-06-01', taken: 1, total: 1, percent: 100 });
    expect(b.overall.percent).toBe(100);
  });

  it('an open dose of a finished day counts as missed even before the job has marked it', () => {
    const a = adherence(with_(['taken', 'scheduled', 'scheduled', 'scheduled', 'scheduled']), 2, bj('2025-06-03T00:00:01'));
    expect(a.overall).toEqual({ taken: 1, missed: 1, due: 2, percent: 50 });
  });
});

describe('escalation', () => {
  const slots = scheduleDoses('2025-06-01', [{ days: 5 }], ['08:00']);
  const with_ = (statuses: DoseStatus[]) => slots.slice(0, statuses.length).map((s, i) => ({ ...s, status: statuses[i] }));

  it('two misses in a row escalate; one does not; a taken dose resets the run', () => {
    expect(consecutiveMisses(with_(['taken', 'missed']), bj('2025-06-02T23:00:00'))).toBe(1);
    expect(shouldEscalate(1)).toBe(false);
    const two = consecutiveMisses(with_(['taken', 'missed', 'missed']), bj('2025-06-04T00:00:00'));
    expect(two).toBe(2);
    expect(shouldEscalate(two)).toBe(true);
    expect(consecutiveMisses(with_(['missed', 'missed', 'taken']), bj('2025-06-03T12:00:00'))).toBe(0);
  });

  it("today's open dose neither breaks nor extends the run; yesterday's open one extends it", () => {
    expect(consecutiveMisses(with_(['missed', 'missed', 'scheduled']), bj('2025-06-03T12:00:00'))).toBe(2);
    expect(consecutiveMisses(with_(['taken', 'missed', 'scheduled']), bj('2025-06-04T00:30:00'))).toBe(2);
  });

  it('order of the input does not matter', () => {
    const d = with_(['taken', 'missed', 'missed']).reverse();
    expect(consecutiveMisses(d, bj('2025-06-04T00:00:00'))).toBe(2);
  });
});
