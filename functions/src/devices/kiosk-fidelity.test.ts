/**
 * A kiosk's message kept as it was sent, against DynamoDB Local through the real handler: a retry
 * that only re-stamps Bundle.timestamp (or MSH-7) is the same push (202 duplicate, not 409); a
 * date-only effectiveDateTime (legal FHIR dateTime) stays that date, never the time we received it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, VitalCodes } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { putOrg } from '../catalog/store';
import { readingObservations } from './fhir';
import { handler } from './handler';
import { measureKeepingDates } from './ingest';
import { parseFhir } from './parse-fhir';
import { fhirBundle, hl7Message, signedHeaders } from './simulator';
import * as store from './store';

process.env.DATA_DIR ??= mkdtempSync(join(tmpdir(), 'kiosk-fidelity-'));

const ORG = `org-fid-${randomUUID().slice(0, 8)}`;
let kiosk: { kioskId: string; secret: string };

beforeAll(async () => {
  await putOrg({
    id: ORG, order: 99, kind: 'station', name: '保真测试站', level: '远程医疗工作站', address: '测试', phone: '0538-0000000', intro: '',
    location: { wgs84: { lat: 36.25, lng: 117.1 }, gcj02: { lat: 36.25, lng: 117.1 } },
  });
  const admin = await tokenFor(['admin'], undefined, ORG);
  const r = await call(handler, api.devices.createKiosk, { token: admin, body: { orgId: ORG, label: '保真一体机' } });
  expect(r.status).toBe(201);
  kiosk = { kioskId: r.body.kiosk.id, secret: r.body.secret.value };
});

function push(body: unknown, contentType = 'application/fhir+json') {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return call(handler, api.devices.ingest, { rawBody: raw, headers: signedHeaders(kiosk.kioskId, kiosk.secret, raw, contentType) });
}

type Bundle = { timestamp?: string; entry: { resource: Record<string, unknown> }[] };

describe('a kiosk retry', () => {
  it('that only re-stamps Bundle.timestamp is the same push: 202 duplicate, not 409', async () => {
    const id = randomUUID();
    const first = fhirBundle([{ code: VitalCodes.heartRate, value: 72, unit: '/min' }], { id, at: new Date(Date.now() - 60_000).toISOString() }) as unknown as Bundle;
    const r1 = await push(first);
    expect(r1.status).toBe(202);
    expect(r1.body.status).toBe('accepted');
    const retry = { ...first, timestamp: new Date().toISOString() };
    const r2 = await push(retry);
    expect(r2.status).toBe(202);
    expect(r2.body).toMatchObject({ status: 'duplicate', readings: r1.body.readings });
    // Other content under the same identifier is still a conflict.
    const changed = JSON.parse(JSON.stringify(first)) as Bundle;
    (changed.entry.find((e) => e.resource.resourceType === 'Observation')!.resource.valueQuantity as { value: number }).value = 90;
    expect((await push(changed)).status).toBe(409);
  });

  it('without any reading times, re-stamped later, is still the same push', async () => {
    const b = fhirBundle([{ code: VitalCodes.heartRate, value: 70, unit: '/min' }], { id: randomUUID(), at: new Date(Date.now() - 120_000).toISOString() }) as unknown as Bundle;
    for (const e of b.entry) delete e.resource.effectiveDateTime;
    expect((await push(b)).body.status).toBe('accepted');
    expect((await push({ ...b, timestamp: new Date().toISOString() })).body.status).toBe('duplicate');
  });

  it('in HL7 v2 that only re-stamps MSH-7 is the same push too', async () => {
    const id = randomUUID().slice(0, 20);
    const at = new Date(Date.now() - 60_000).toISOString();
    const msg = hl7Message([{ code: VitalCodes.heartRate, value: 66, unit: '/min' }], { id, at });
    expect((await push(msg, 'application/hl7-v2')).body.status).toBe('accepted');
    const restamped = msg.replace(/^(MSH(?:\|[^|]*){5}\|)\d{14}/, `$1${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}`);
    expect(restamped).not.toBe(msg);
    const r = await push(restamped, 'application/hl7-v2');
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('duplicate');
  });
});

describe('a date-only effectiveDateTime', () => {
  it('stays that date on the stored readings (and in the FHIR export), never the time it was received', async () => {
    const b = fhirBundle([{ code: VitalCodes.heartRate, value: 75, unit: '/min' }, { code: VitalCodes.bpPanel, systolic: 128, diastolic: 82 }], { id: randomUUID() }) as unknown as Bundle;
    for (const e of b.entry) if (e.resource.resourceType === 'Observation') e.resource.effectiveDateTime = '2025-06-08';
    const r = await push(b);
    expect(r.status).toBe(202);
    const pushed = (await store.unassignedOf(ORG)).find((u) => u.readings.some((x) => x.value === 75));
    expect(pushed, 'the push waits for staff (nobody bound)').toBeDefined();
    expect(pushed!.readings.map((x) => [x.code, x.effectiveAt])).toEqual(
      expect.arrayContaining([
        [VitalCodes.heartRate, '2025-06-08'],
        [VitalCodes.bpPanel, '2025-06-08'],
      ]),
    );
    const exported = readingObservations(pushed!.readings, 'urn:uuid:p');
    expect(exported.map((o) => o.effectiveDateTime)).toEqual(['2025-06-08', '2025-06-08']);
  });

  it('gives the same reading ids on a re-push (the day stands in as the same instant while grading)', () => {
    const b = fhirBundle([{ code: VitalCodes.heartRate, value: 75, unit: '/min' }], { id: 'fixed' }) as unknown as Bundle;
    for (const e of b.entry) if (e.resource.resourceType === 'Observation') e.resource.effectiveDateTime = '2025-06-08';
    const push1 = parseFhir(JSON.stringify(b)).push!;
    const a = measureKeepingDates(push1, '2025-06-09T01:00:00.000Z').readings;
    const c = measureKeepingDates({ ...push1, sentAt: '2025-06-09T02:00:00Z' }, '2025-06-09T03:00:00.000Z').readings;
    expect(a.map((x) => [x.key, x.effectiveAt])).toEqual(c.map((x) => [x.key, x.effectiveAt]));
    expect(a[0].effectiveAt).toBe('2025-06-08');
  });

  it('from an HL7 kiosk (OBX-14 20250608) stays the date as well', async () => {
    const msg = hl7Message([{ code: VitalCodes.heartRate, value: 77, unit: '/min' }], { id: randomUUID().slice(0, 20) }).replace(/\|F\|\|\|\d{14}\+0000$/, '|F|||20250608');
    expect(msg.endsWith('|F|||20250608')).toBe(true);
    expect((await push(msg, 'application/hl7-v2')).status).toBe(202);
    const pushed = (await store.unassignedOf(ORG)).find((u) => u.readings.some((x) => x.value === 77));
    expect(pushed!.readings[0].effectiveAt).toBe('2025-06-08');
  });
});
