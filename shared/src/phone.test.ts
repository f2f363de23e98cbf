import { describe, expect, it } from 'vitest';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { countryLabel, parseCallerPhone } from './phone';

describe('call-back numbers of an SOS (E.164)', () => {
  it('a mainland mobile stays its 11 digits, however it was typed', () => {
    for (const typed of ['13812345678', '138 1234 5678', '+86 138-1234-5678', '008613812345678', '+8613812345678']) {
      expect(parseCallerPhone(typed)).toEqual({ phone: '13812345678', country: 'CN', callingCode: '+86', foreign: false });
    }
  });

  it("every country's example mobile number from libphonenumber's metadata parses in international form, foreign unless mainland", () => {
    // examples.mobile.json: Google libphonenumber's example mobile number per region (shipped with libphonenumber-js).
    const regions = Object.entries(examples as Record<string, string>);
    expect(regions.length).toBeGreaterThan(200);
    let parsed = 0;
    for (const [region, national] of regions) {
      const p = parseCallerPhone(national, region as never);
      if (!p) continue;
      parsed++;
      expect(p.foreign).toBe(region !== 'CN');
      // Typed with its country code, by a visitor, it is the same number.
      expect(parseCallerPhone(p.phone.startsWith('+') ? p.phone : `+86${p.phone}`)?.phone).toBe(p.phone);
    }
    expect(parsed / regions.length).toBeGreaterThan(0.95);
    expect(parseCallerPhone(`+44${(examples as Record<string, string>).GB}`)).toMatchObject({ phone: '+447400123456', country: 'GB', callingCode: '+44', foreign: true });
    expect(parseCallerPhone('+1 201-555-0123')).toMatchObject({ phone: '+12015550123', country: 'US', foreign: true });
    expect(parseCallerPhone('+852 5123 4567')).toMatchObject({ country: 'HK', foreign: true });
  });

  it('a mainland landline is kept in E.164 (the desk can still call it)', () => {
    expect(parseCallerPhone('0538-8888888')).toMatchObject({ phone: '+865388888888', country: 'CN', foreign: false });
  });

  it('refuses what nobody can call back', () => {
    for (const bad of ['', '12345', '+44 77', '1381234567x', 'abc', '+999 1234 5678', '1'.repeat(25)]) expect(parseCallerPhone(bad)).toBeUndefined();
  });

  it('labels the country for the desk', () => {
    expect(countryLabel({ country: 'GB', callingCode: '+44' })).toBe('英国（GB，+44）');
    expect(countryLabel({ country: 'IS', callingCode: '+354' })).toBe('IS（+354）');
    expect(countryLabel({ callingCode: '+800' })).toBe('+800');
  });
});
