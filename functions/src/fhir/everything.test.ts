/**
 * Patient/$everything keeps what the lab sent and is valid FHIR JSON: no empty arrays or objects,
 * every fullUrl a urn:uuid that the references inside the Bundle use, comparators / ratios /
 * ranges / coded answers / statuses / date-only times as sent — checked with the fhir.js
 * validator against the R4 definitions.
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { fixture, newLab, person, pushAs } from '../reports/fixtures/helpers';
import { everythingBundle, prune, uuidOf } from './bundle';
import { handler } from './handler';

const { Fhir } = createRequire(import.meta.url)('fhir') as { Fhir: new () => { validate(o: unknown, opts: object): { valid: boolean; messages: { location: string; message: string; severity: string }[] } } };
const fhir = new Fhir();

/** Every place in a JSON value where FHIR's "no empty arrays / objects / strings" rule is broken. */
function empties(v: unknown, at = '$'): string[] {
  if (Array.isArray(v)) return v.length ? v.flatMap((x, i) => empties(x, `${at}[${i}]`)) : [at];
  if (v && typeof v === 'object') return Object.keys(v).length ? Object.entries(v).flatMap(([k, x]) => empties(x, `${at}.${k}`)) : [at];
  return v === '' || v === null ? [at] : [];
}
/** Every `reference` anywhere in a resource. */
function references(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(references);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => (k === 'reference' && typeof x === 'string' ? [x] : references(x)));
  return [];
}

async function exportOf(p: { token: string; patientId: string }) {
  const r = await call(handler, api.fhir.everything, { token: p.token, params: { patientId: p.patientId } });
  expect(r.status).toBe(200);
  return r.body as { entry: { fullUrl: string; resource: Record<string, any> }[] };
}

describe('Patient/$everything', () => {
  it('has no empty array anywhere (a person with no emergency contact has no Patient.contact) and validates', async () => {
    const p = await person('赵德福', '110101195507200918');
    const bundle = await exportOf(p);
    expect(empties(bundle)).toEqual([]);
    expect(bundle.entry[0].resource.contact).toBeUndefined();
    const result = fhir.validate(bundle, { errorOnUnexpected: true });
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([]);
  });

  it('every fullUrl is a urn:uuid, unique and stable, and every reference in the Bundle resolves to one of them', async () => {
    const lab = newLab();
    const p = await person('王秀英', '110101197001010710');
    expect((await pushAs(lab, fixture('fhir/r4-lipids.json'))).status).toBe(202);
    const bundle = await exportOf(p);
    const urls = bundle.entry.map((e) => e.fullUrl);
    for (const u of urls) expect(u).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(urls).size).toBe(urls.length);
    for (const e of bundle.entry) for (const ref of references(e.resource)) expect(urls, ref).toContain(ref);
    expect(bundle.entry.map((e) => e.fullUrl)).toEqual(bundle.entry.map((e) => uuidOf(e.resource.resourceType, e.resource.id)));
    expect((await exportOf(p)).entry.map((e) => e.fullUrl)).toEqual(urls);
    expect(fhir.validate(bundle, { errorOnUnexpected: true }).valid).toBe(true);
  });

  it('exports values as the lab sent them: comparator, ratio, range, coded answer, preliminary, cancelled with its reason; the retracted result is not exported', async () => {
    const lab = newLab();
    const hl7 = await person('EVE E EVERYWOMAN', '110101196203200622');
    expect((await pushAs(lab, fixture('hl7/hl7-standard-sn-forms.hl7'))).status).toBe(202);
    const zhao = await person('赵德福', '110101195507200918');
    expect((await pushAs(lab, fixture('fhir/r4-f001-statuses.json'))).status).toBe(202);

    const a = await exportOf(hl7);
    expect(empties(a)).toEqual([]);
    const va = fhir.validate(a, { errorOnUnexpected: true });
    expect(va.messages.filter((m) => m.severity === 'error')).toEqual([]);
    const obsA = (code: string) => a.entry.map((e) => e.resource).find((r) => r.resourceType === 'Observation' && r.code.coding?.some((c: { code: string }) => c.code === code))!;
    expect(obsA('2093-3')).toMatchObject({ valueQuantity: { value: 300, comparator: '>', system: 'http://unitsofmeasure.org', code: 'mg/dL' } });
    expect(obsA('ASO')).toMatchObject({ valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } }, referenceRange: [{ text: '<1:200' }] });
    expect(obsA('ASO').code.coding[0].system).toBeUndefined(); // HL7 local system `L` is not a URI
    expect(obsA('URBC')).toMatchObject({ valueRange: { low: { value: 4, code: '/[HPF]' }, high: { value: 6 } }, interpretation: [{ coding: [{ code: 'H' }] }] });
    expect(obsA('5794-3')).toMatchObject({ valueString: '2+', interpretation: [{ coding: [{ code: 'A' }] }] });
    expect(obsA('2345-7')).toMatchObject({ status: 'preliminary', valueQuantity: { value: 5.9, code: 'mmol/L' } });
    expect(obsA('1554-5')).toMatchObject({ valueQuantity: { value: 182, unit: 'mg/dl', code: 'mg/dL' } });

    const b = await exportOf(zhao);
    expect(empties(b)).toEqual([]);
    expect(fhir.validate(b, { errorOnUnexpected: true }).messages.filter((m) => m.severity === 'error')).toEqual([]);
    const obsB = b.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Observation' && r.code.coding?.some((c: { system?: string }) => c.system === 'http://loinc.org'));
    expect(obsB.map((o) => [o.code.coding.find((c: { system?: string }) => c.system === 'http://loinc.org').code, o.status])).toEqual(
      expect.arrayContaining([
        ['15074-8', 'final'],
        ['26464-8', 'final'],
        ['15074-8', 'cancelled'],
        ['600-7', 'final'],
        ['41857-4', 'preliminary'],
      ]),
    );
    expect(obsB.some((o) => o.code.coding.some((c: { code: string }) => c.code === '8310-5'))).toBe(false);
    const lt = obsB.find((o) => o.code.coding.some((c: { code: string }) => c.code === '26464-8'))!;
    expect(lt.valueQuantity).toEqual({ value: 1, comparator: '<', unit: '/uL', system: 'http://unitsofmeasure.org', code: '/uL' });
    const cancelled = obsB.find((o) => o.status === 'cancelled')!;
    expect(cancelled.dataAbsentReason).toEqual({ text: 'Specimen unsatisfactory for evaluation' });
    expect(cancelled.valueQuantity).toBeUndefined();
    const staph = obsB.find((o) => o.code.coding.some((c: { code: string }) => c.code === '600-7'))!;
    expect(staph.valueCodeableConcept).toEqual({ coding: [{ system: 'http://snomed.info/sct', code: '3092008', display: 'Staphylococcus aureus' }], text: 'Staphylococcus aureus' });
  });

  it('a date-only time stays a date (R4 dateTime allows it), and the Bundle still validates', () => {
    const bundle = everythingBundle({
      patient: { patientId: `p-${randomUUID()}`, name: '测试', sex: 'female', birthDate: '1970-01-01' } as never,
      record: { bloodType: 'unknown', rh: 'unknown', allergies: [], conditions: [], medications: [], emergencyContacts: [], verified: [] } as never,
      reports: [
        {
          reportId: 'r-1', version: 1, identifier: { value: 'X-1' }, status: 'final', type: 'lab', category: 'LAB', code: '2345-7', title: '葡萄糖',
          subject: {}, effectiveAt: '2025-06-08', issuedAt: '2025-06-08T02:20:00.000Z', observations: [{ code: '2345-7', name: '葡萄糖', value: 5.1, unit: 'mmol/L' }],
        } as never,
      ],
      base: 'https://api.example-hospital.cn',
    });
    const report = bundle.entry.map((e) => e.resource).find((r) => r.resourceType === 'DiagnosticReport')!;
    expect(report.effectiveDateTime).toBe('2025-06-08');
    expect(empties(bundle)).toEqual([]);
    expect(fhir.validate(bundle, { errorOnUnexpected: true }).valid).toBe(true);
  });

  it('prune removes what FHIR JSON forbids and nothing else', () => {
    expect(prune({ a: [], b: {}, c: '', d: null, e: undefined, f: [{}, { g: 0, h: false }], i: 'x' })).toEqual({ f: [{ g: 0, h: false }], i: 'x' });
  });
});
