import { describe, expect, it } from 'vitest';
import { sosSmsText } from './offer';

describe('the SMS an SOS offers with no network', () => {
  it('carries the position, its datum and accuracy, and the time in one line', () => {
    const at = Date.parse('2026-12-04T06:05:00Z');
    const text = sosSmsText({ lat: 36.2525, lng: 117.103, accuracy: 12, coordSystem: 'wgs84' }, at);
    expect(text).toBe('紧急求助：我需要急救。位置 36.25250,117.10300（WGS-84，精度约 12 米），14:05 发出。');
    expect(text).not.toContain('\n');
  });

  it('says plainly when there is no fix or its accuracy is unknown (never "0 米")', () => {
    const at = Date.parse('2026-12-04T06:05:00Z');
    expect(sosSmsText(undefined, at, '十八盘中段')).toBe('紧急求助：我需要急救。无法定位，十八盘中段，14:05 发出。');
    expect(sosSmsText({ lat: 36.2, lng: 117.1, accuracy: 0, coordSystem: 'gcj02' }, at)).toContain('GCJ-02，精度未知');
  });
});
