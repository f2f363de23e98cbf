/**
 * Patient/$everything: a FHIR R4 Bundle that validates (fhir.js against the R4 definitions), for
 * the patient's own people, and for staff only with access — audited.
 */
import { addPersonByRoute } from '#test/people';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { idNumber } from '#test/fixtures';
import { putUser } from '../auth/store';
import { handler as patients } from '../patients/handler';
import { handler as records } from '../records/handler';
import { handler as reports } from '../reports/handler';
import { fhirReport, signedHeaders } from '../reports/test-fixtures';
import { handler } from './handler';

const { Fhir } = createRequire(import.meta.url)('fhir') as { Fhir: new () => { validate(o: unknown, opts: object): { valid: boolean; messages: { location: string; message: string; severity: string }[] } } };
const fhir = new Fhir();

const doctorId = `doc-${randomUUID()}`;
let doctor: string;
beforeAll(async () => {
  await putUser({ userId: doctorId, name: '王医生', roles: [], memberships: [{ orgId: 'org-city', roles: ['doctor'] }], createdAt: new Date().toISOString() });
  doctor = await tokenFor(['doctor'], doctorId, 'org-city', '王医生');
});

async function personWithEverything() {
  const token = await tokenFor(['patient'], `u_${randomUUID()}`);
  const id = idNumber();
  const p = await addPersonByRoute({ token, body: { name: '张建国', relation: 'self', phone: '13800138000', idNumber: id } });
  const patientId = p.body.id as string;
  await call(records, api.records.putRecord, {
    token,
    params: { patientId },
    body: {
      bloodType: 'A',
      rh: 'positive',
      allergies: [{ substance: '青霉素', reaction: '皮疹', severity: 'severe' }],
      conditions: [{ name: '高血压', since: '2015' }],
      medications: [{ name: '氨氯地平', dose: '5mg', frequency: '每日一次' }],
      emergencyContacts: [{ name: '张小明', relation: '儿子', phone: '13900139000' }],
    },
  });
  const lab = JSON.stringify(fhirReport({ identifier: `LAB-${randomUUID().slice(0, 8)}`, idNumber: id, family: '张', given: '建国', issued: '2025-06-08T10:20:00+08:00' }));
  await call(reports, api.reports.ingest, { rawBody: lab, headers: signedHeaders(lab) });
  const exam = [
    'MSH|^~\\&|PACS|TACH|HIS|TACH|20250609150000+0800||ORU^R01^ORU_R01|M2|P|2.5.1',
    `PID|1||${id}^^^^NNCHN||张^建国`,
    `OBR|1||US-${randomUUID().slice(0, 8)}^TACH-PACS|24558-9^腹部超声^LN|||20250609143000+0800|||||||||||||||20250609150000+0800||US|F`,
    'OBX|1|TX|59776-5^检查所见^LN||肝脏大小形态正常。||||||F',
    'OBX|2|TX|19005-8^诊断意见^LN||未见明显异常。||||||F',
  ].join('\r');
  await call(reports, api.reports.ingest, { rawBody: exam, headers: signedHeaders(exam, { contentType: 'x-application/hl7-v2+er7' }) });
  return { token, patientId, idNumber: id };
}

const everything = (token: string, patientId: string, query?: Record<string, string>) => call(handler, api.fhir.everything, { token, params: { patientId }, query });

describe('Patient/$everything', () => {
  it('is a FHIR R4 searchset Bundle that validates, with the person, reports, observations and record', async () => {
    const a = await personWithEverything();
    const r = await everything(a.token, a.patientId);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('application/fhir+json');
    const bundle = r.body;
    const result = fhir.validate(bundle, { errorOnUnexpected: true });
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);

    const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types.filter((t: string) => t === 'Patient')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'DiagnosticReport')).toHaveLength(2);
    expect(types).toEqual(expect.arrayContaining(['Observation', 'AllergyIntolerance', 'Condition', 'MedicationStatement']));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: bundle.entry.length });

    const byType = (t: string) => bundle.entry.map((e: { resource: any }) => e.resource).filter((x: any) => x.resourceType === t);
    // References inside the Bundle use the entries' urn:uuid fullUrls.
    const person = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient').fullUrl;
    expect(person).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const wbc = byType('Observation').find((o: any) => o.code.coding[0].code === '6690-2');
    expect(wbc).toMatchObject({
      valueQuantity: { value: 11.2, system: 'http://unitsofmeasure.org', code: '10*9/L' },
      interpretation: [{ coding: [{ code: 'H' }] }],
      referenceRange: [{ low: { value: 3.5 }, high: { value: 9.5 } }],
      subject: { reference: person },
    });
    const us = byType('DiagnosticReport').find((d: any) => d.code.coding[0].code === '24558-9');
    expect(us).toMatchObject({ conclusion: '未见明显异常。', category: [{ coding: [{ code: 'US' }] }] });
    // Every reference resolves inside the Bundle; every id is a valid FHIR id.
    const urls = new Set(bundle.entry.map((e: { fullUrl: string }) => e.fullUrl));
    for (const d of byType('DiagnosticReport')) for (const ref of d.result) expect(urls.has(ref.reference)).toBe(true);
    for (const e of bundle.entry) expect(e.resource.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(byType('AllergyIntolerance')[0]).toMatchObject({ code: { text: '青霉素' }, criticality: 'high', patient: { reference: person } });
    // No ID number anywhere in the export.
    expect(r.text).not.toContain(a.idNumber);
  });

  it('a validator catches a broken Bundle (the check can fail)', () => {
    const result = fhir.validate({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 'high' } } }] }, { errorOnUnexpected: true });
    expect(result.valid).toBe(false);
  });

  it('another account’s person is a 404; staff without access get 403, audited; with access the export is audited', async () => {
    const a = await personWithEverything();
    const b = await tokenFor(['patient'], `u_${randomUUID()}`);
    expect((await everything(b, a.patientId)).status).toBe(404);

    expect((await everything(doctor, a.patientId)).status).toBe(403);
    await call(records, api.records.grantConsent, { token: a.token, body: { patientId: a.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes: ['record'], days: 1 } });
    // The record alone is not enough: the export holds reports too.
    expect((await everything(doctor, a.patientId)).status).toBe(403);
    await call(records, api.records.grantConsent, { token: a.token, body: { patientId: a.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes: ['reports'], days: 1 } });
    const ok = await everything(doctor, a.patientId, { purpose: 'treatment' });
    expect(ok.status).toBe(200);
    expect(fhir.validate(ok.body, { errorOnUnexpected: true }).valid).toBe(true);

    const log = (await call(records, api.records.accessLog, { token: a.token, params: { patientId: a.patientId } })).body.entries;
    const mine = log.filter((e: { resource: string }) => e.resource === 'fhir:Patient/$everything');
    // No access: record refused. Record only: record allowed, reports refused. Both: two allowed.
    expect(mine.map((e: { outcome: string }) => e.outcome).sort()).toEqual(['allowed', 'allowed', 'allowed', 'refused', 'refused']);
  });
});
