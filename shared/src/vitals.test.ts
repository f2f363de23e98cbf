import { describe, expect, it } from 'vitest';
import {
  gradeBloodPressure,
  gradeBmi,
  gradeGlucose,
  gradeInterpretation,
  gradePulse,
  gradeReading,
  gradeRespiration,
  gradeSpo2,
  gradeTemperature,
  normalise,
  raisesAlert,
  VitalCodes,
} from './vitals';

const sev = (g: { severity: string }) => g.severity;

describe('blood pressure grades (Chinese hypertension guideline 2018, NEWS2 red)', () => {
  it.each([
    [129, 84, 'normal', '正常'],
    [130, 70, 'normal', '正常高值'],
    [120, 85, 'normal', '正常高值'],
    [139, 89, 'normal', '正常高值'],
    [140, 80, 'attention', '1级高血压'],
    [120, 90, 'attention', '1级高血压'],
    [159, 99, 'attention', '1级高血压'],
    [160, 80, 'warning', '2级高血压'],
    [130, 100, 'warning', '2级高血压'],
    [179, 109, 'warning', '2级高血压'],
    [180, 90, 'critical', '3级高血压'],
    [150, 110, 'critical', '3级高血压'],
    [219, 100, 'critical', '3级高血压'],
    [220, 100, 'critical', '3级高血压'],
    [91, 60, 'normal', '正常'],
    [90, 60, 'critical', '血压过低'],
  ])('%i/%i mmHg is %s (%s)', (s, d, severity, label) => {
    const g = gradeBloodPressure(s, d);
    expect(g.severity).toBe(severity);
    expect(g.label).toBe(label);
  });

  it('the higher category of systolic and diastolic counts (isolated diastolic grade 2)', () => {
    expect(gradeBloodPressure(135, 105).label).toBe('2级高血压');
  });

  it('names its guideline', () => {
    expect(gradeBloodPressure(165, 102).source).toContain('CHN-HTN-2018');
    expect(gradeBloodPressure(85, 50).source).toBe('NEWS2');
  });
});

describe('NEWS2 bands', () => {
  it.each([
    [40, 'critical'], [41, 'attention'], [50, 'attention'], [51, 'normal'], [90, 'normal'],
    [91, 'attention'], [110, 'attention'], [111, 'warning'], [130, 'warning'], [131, 'critical'],
  ])('pulse %i is %s', (v, s) => expect(sev(gradePulse(v))).toBe(s));

  it.each([
    [8, 'critical'], [9, 'attention'], [11, 'attention'], [12, 'normal'], [20, 'normal'],
    [21, 'warning'], [24, 'warning'], [25, 'critical'],
  ])('respiration %i is %s', (v, s) => expect(sev(gradeRespiration(v))).toBe(s));

  it.each([
    [35.0, 'critical'], [35.1, 'attention'], [36.0, 'attention'], [36.1, 'normal'], [38.0, 'normal'],
    [38.1, 'attention'], [39.0, 'attention'], [39.1, 'warning'],
  ])('temperature %f is %s', (v, s) => expect(sev(gradeTemperature(v))).toBe(s));
});

describe('SpO2', () => {
  it.each([
    [89, 'critical'], [90, 'warning'], [91, 'warning'], [92, 'attention'], [93, 'attention'], [94, 'normal'], [100, 'normal'],
  ])('%i %% is %s', (v, s) => expect(sev(gradeSpo2(v))).toBe(s));
});

describe('glucose (Chinese T2DM guideline 2020)', () => {
  it.each([
    [2.9, 'critical', '2级低血糖'], [3.0, 'warning', '1级低血糖'], [3.8, 'warning', '1级低血糖'], [3.9, 'normal', '正常'],
    [11.0, 'normal', '正常'], [11.1, 'attention', '血糖偏高'],
  ])('%f mmol/L is %s', (v, s, label) => {
    expect(sev(gradeGlucose(v))).toBe(s);
    expect(gradeGlucose(v).label).toBe(label);
  });
});

describe('BMI (WS/T 428-2013)', () => {
  it.each([[18.4, 'attention'], [18.5, 'normal'], [23.9, 'normal'], [24, 'attention'], [27.9, 'attention'], [28, 'attention']])('%f is %s', (v, s) =>
    expect(sev(gradeBmi(v))).toBe(s),
  );
  it('names overweight and obese apart', () => {
    expect(gradeBmi(24).label).toBe('超重');
    expect(gradeBmi(28).label).toBe('肥胖');
  });
});

describe('alerts and the device flag', () => {
  it('warning and critical raise an alert, attention does not', () => {
    expect([raisesAlert('normal'), raisesAlert('attention'), raisesAlert('warning'), raisesAlert('critical')]).toEqual([false, false, true, true]);
  });
  it('a sign without our thresholds takes the device flag', () => {
    expect(gradeReading({ code: '718-7', value: 60, interpretation: 'LL' }).severity).toBe('critical');
    expect(gradeReading({ code: '718-7', value: 120, interpretation: 'L' }).severity).toBe('attention');
    expect(gradeReading({ code: '718-7', value: 140 }).severity).toBe('normal');
    expect(gradeInterpretation('N').severity).toBe('normal');
  });
  it('our guideline grade wins over the device for signs we grade', () => {
    expect(gradeReading({ code: VitalCodes.heartRate, value: 72, interpretation: 'HH' }).severity).toBe('normal');
    expect(gradeReading({ code: VitalCodes.bpPanel, systolic: 165, diastolic: 102 }).label).toBe('2级高血压');
  });
});

describe('unit normalisation', () => {
  it('kPa to mmHg', () => expect(normalise(VitalCodes.systolic, 21.3, 'kPa')).toEqual({ ok: true, value: 160, unit: 'mm[Hg]' }));
  it('°F to °C', () => expect(normalise(VitalCodes.temperature, 98.6, '[degF]')).toEqual({ ok: true, value: 37, unit: 'Cel' }));
  it('mg/dL to mmol/L for glucose', () => expect(normalise(VitalCodes.glucose, 200, 'mg/dL')).toEqual({ ok: true, value: 11.1, unit: 'mmol/L' }));
  it('pounds, metres, ratios', () => {
    expect(normalise(VitalCodes.weight, 154, '[lb_av]')).toMatchObject({ value: 69.9 });
    expect(normalise(VitalCodes.height, 1.72, 'm')).toMatchObject({ value: 172 });
    expect(normalise(VitalCodes.spo2, 0.97, '1')).toMatchObject({ value: 97 });
    expect(normalise(VitalCodes.spo2Arterial, 96, '%')).toMatchObject({ value: 96 });
  });
  it('refuses an unknown unit, an impossible value and a non-number, naming the sign', () => {
    expect(normalise(VitalCodes.glucose, 6, 'g/L')).toMatchObject({ ok: false, message: expect.stringContaining('血糖的单位') });
    expect(normalise(VitalCodes.temperature, 98.6, 'Cel')).toMatchObject({ ok: false, message: expect.stringContaining('超出可能范围') });
    expect(normalise(VitalCodes.heartRate, Number.NaN, '/min')).toMatchObject({ ok: false });
    expect(normalise('0000-0', 1, 'kg')).toMatchObject({ ok: false });
  });
  it('the plausible range is inclusive at both ends', () => {
    expect(normalise(VitalCodes.spo2, 100, '%').ok).toBe(true);
    expect(normalise(VitalCodes.spo2, 100.4, '%').ok).toBe(true); // rounds to 100
    expect(normalise(VitalCodes.spo2, 101, '%').ok).toBe(false);
    expect(normalise(VitalCodes.spo2, 49, '%').ok).toBe(false);
  });
});
