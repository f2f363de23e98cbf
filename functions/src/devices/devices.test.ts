/**
 * Health kiosks end to end through the real handler and DynamoDB Local: a signed push lands on the
 * person bound at the kiosk (or waits for staff), every forged or replayed push is refused, a
 * re-push changes nothing, units are normalised and impossible values refused entry by entry.
 */
import { addPersonByRoute } from '#test/people';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Fhir } from 'fhir';
import { api, VitalCodes } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { idNumber, patientAccount } from '#test/fixtures';
import { handler as records } from '../records/handler';
import { handler as patients } from '../patients/handler';
import { handler as fhirHandler } from '../fhir/handler';
import { putOrg } from '../catalog/store';
import { inbox } from '#lib/notifier';
import { handler } from './handler';
import { bloodCountPanel, codeRequest, fhirBundle, fullCheckup, hl7Message, signedHeaders, urinePanel, type SimReading } from './simulator';

const DATA_DIR = mkdtempSync(join(tmpdir(), 'kiosk-blobs-'));
process.env.DATA_DIR = DATA_DIR;

const ORG = `org-test-${randomUUID().slice(0, 8)}`;
let admin: string;
let nurse: string;

const secrets = new Map<string, string>();
async function registerKiosk() {
  const r = await call(handler, api.devices.createKiosk, { token: admin, body: { orgId: ORG, label: '测试一体机' } });
  expect(r.status).toBe(201);
  secrets.set(r.body.kiosk.id, r.body.secret.value);
  return { kioskId: r.body.kiosk.id as string, secret: r.body.secret.value as string };
}

function push(kioskId: string, secret: string, body: unknown, opts: { contentType?: string; timestamp?: number; nonce?: string; tamper?: (raw: string) => string } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = signedHeaders(kioskId, secret, raw, opts.contentType, opts);
  return call(handler, api.devices.ingest, { rawBody: opts.tamper ? opts.tamper(raw) : raw, headers });
}

/** Binds as a person standing at the kiosk: the code is the one the kiosk shows (binding.test.ts has the rules). */
async function bind(kioskId: string, who: { token: string; patientId: string }) {
  const shown = await call(handler, api.devices.kioskCode, codeRequest(kioskId, secrets.get(kioskId)!));
  expect(shown.status).toBe(200);
  const r = await call(handler, api.devices.openSession, { token: who.token, params: { kioskId }, body: { patientId: who.patientId, code: shown.body.code } });
  expect(r.status).toBe(200);
  return r.body;
}

const readingsOf = (who: { token: string; patientId: string }, query: Record<string, string> = {}) =>
  call(handler, api.devices.readings, { token: who.token, params: { patientId: who.patientId }, query });

beforeAll(async () => {
  await putOrg({
    id: ORG, order: 99, kind: 'station', name: '测试工作站', level: '远程医疗工作站', address: '测试', phone: '0538-0000000', intro: '',
    location: { wgs84: { lat: 36.25, lng: 117.1 }, gcj02: { lat: 36.25, lng: 117.1 } },
  });
  // An administrator of the test station (and of an organisation the catalog does not know).
  admin = await tokenFor(['admin'], undefined, [{ orgId: ORG, roles: ['admin'] }, { orgId: 'org-nowhere', roles: ['admin'] }]);
  nurse = await tokenFor(['nurse'], undefined, ORG);
});

describe('kiosk registry', () => {
  it('registers a kiosk with a printed QR code of kind kiosk, and shows the secret only once', async () => {
    const { kioskId } = await registerKiosk();
    const list = await call(handler, api.devices.listKiosks, { token: admin, query: { orgId: ORG } });
    const k = list.body.items.find((i: { id: string }) => i.id === kioskId);
    expect(k.secrets).toHaveLength(1);
    expect(JSON.stringify(k)).not.toMatch(/value/);
    const { handler: qr } = await import('../qr/handler');
    const code = await call(qr, api.qr.resolve, { params: { code: k.qrCode } });
    expect(code.body.target).toEqual({ kind: 'kiosk', orgId: ORG, kioskId });
    expect(k.qrUrl).toContain(`/qr?c=${kioskId}`);
  });

  it('refuses an unknown organisation, naming the field', async () => {
    const r = await call(handler, api.devices.createKiosk, { token: admin, body: { orgId: 'org-nowhere', label: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('body.orgId');
  });
});

describe('webhook authentication', () => {
  let kioskId: string;
  let secret: string;
  const bundle = () => fhirBundle([{ code: VitalCodes.heartRate, value: 70, unit: '/min' }]);
  beforeAll(async () => ({ kioskId, secret } = await registerKiosk()));

  it('accepts a correctly signed push with 202', async () => {
    const r = await push(kioskId, secret, bundle());
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'accepted', readings: 1, assigned: false });
  });

  it('refuses a tampered body', async () => {
    const r = await push(kioskId, secret, bundle(), { tamper: (raw) => raw.replace('"value":70', '"value":71') });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SIGNATURE_INVALID');
  });

  it('refuses a stale or future timestamp (more than 300 s off)', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now - 301, now + 301]) {
      const r = await push(kioskId, secret, bundle(), { timestamp: ts });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('SIGNATURE_EXPIRED');
    }
    expect((await push(kioskId, secret, bundle(), { timestamp: now - 290 })).status).toBe(202);
  });

  it('refuses a replayed nonce, even with a fresh signature over the same nonce', async () => {
    const raw = JSON.stringify(bundle());
    const headers = signedHeaders(kioskId, secret, raw);
    expect((await call(handler, api.devices.ingest, { rawBody: raw, headers })).status).toBe(202);
    const again = await call(handler, api.devices.ingest, { rawBody: raw, headers });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REPLAYED');
    const other = await push(kioskId, secret, bundle(), { nonce: headers['x-nonce'] });
    expect(other.status).toBe(409);
  });

  it('refuses an unknown kiosk and a wrong secret alike (nothing says which)', async () => {
    const unknown = await push('kiosk-nobody', secret, bundle());
    const wrong = await push(kioskId, 'not-the-secret', bundle());
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body.error).toEqual(wrong.body.error);
  });

  it('refuses a push with a signature header missing', async () => {
    const raw = JSON.stringify(bundle());
    const { 'x-signature': _s, ...headers } = signedHeaders(kioskId, secret, raw);
    const r = await call(handler, api.devices.ingest, { rawBody: raw, headers });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SIGNATURE_MISSING');
  });

  it('after a rotation both the new and the previous secret work; after a second, the oldest does not', async () => {
    const k = await registerKiosk();
    const first = await call(handler, api.devices.rotateSecret, { token: admin, params: { kioskId: k.kioskId } });
    expect(first.status).toBe(201);
    const s2 = first.body.secret.value as string;
    expect(first.body.kiosk.secrets).toHaveLength(2);
    expect((await push(k.kioskId, k.secret, bundle())).status).toBe(202);
    expect((await push(k.kioskId, s2, bundle())).status).toBe(202);
    const second = await call(handler, api.devices.rotateSecret, { token: admin, params: { kioskId: k.kioskId } });
    const s3 = second.body.secret.value as string;
    expect((await push(k.kioskId, s3, bundle())).status).toBe(202);
    expect((await push(k.kioskId, s2, bundle())).status).toBe(202);
    expect((await push(k.kioskId, k.secret, bundle())).status).toBe(401);
  });

  it('refuses a content type other than FHIR JSON or HL7 v2', async () => {
    const r = await push(kioskId, secret, 'a,b,c', { contentType: 'text/csv' });
    expect(r.status).toBe(415);
  });
});

describe('binding a person at the kiosk', () => {
  it('readings pushed while a session is open belong to the person picked; a grade-2 pressure raises an alert and a message', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount('王建华');
    const s = await bind(kioskId, who);
    expect(s).toMatchObject({ state: 'mine', patientId: who.patientId, patientName: '王建华' });
    expect(Date.parse(s.expiresAt) - Date.parse(s.openedAt)).toBe(15 * 60_000);

    const r = await push(kioskId, secret, fhirBundle(fullCheckup({ sys: 165, dia: 102 })));
    expect(r.body).toMatchObject({ status: 'accepted', assigned: true, alerts: 1, readings: 11 });

    const bp = await readingsOf(who, { code: VitalCodes.bpPanel });
    expect(bp.body.items).toHaveLength(1);
    expect(bp.body.items[0]).toMatchObject({ systolic: 165, diastolic: 102, display: '165/102 mmHg', severity: 'warning', label: '2级高血压', source: 'CHN-HTN-2018', emergency: false });

    const alerts = await call(handler, api.devices.alerts, { token: who.token, params: { patientId: who.patientId } });
    expect(alerts.body.items).toEqual([expect.objectContaining({ code: VitalCodes.bpPanel, severity: 'warning', label: '2级高血压', patientName: '王建华' })]);
    const messages = await inbox(who.userId);
    expect(messages.filter((m) => m.template === 'reading_alert')).toHaveLength(1);
    expect(messages[0].body).toContain('165/102 mmHg');

    const latest = await call(handler, api.devices.latest, { token: who.token, params: { patientId: who.patientId } });
    expect(latest.body.items.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining([VitalCodes.bpPanel, VitalCodes.heartRate, VitalCodes.spo2, VitalCodes.ecgRhythm]));

    // The nurse of the kiosk's organisation sees the alert.
    const staff = await call(handler, api.devices.staffAlerts, { token: nurse });
    expect(staff.body.items.some((a: { patientId: string }) => a.patientId === who.patientId)).toBe(true);
  });

  it('a critical reading offers the emergency flow', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    await push(kioskId, secret, fhirBundle([{ code: VitalCodes.spo2, value: 86, unit: '%' }]));
    const r = await readingsOf(who);
    expect(r.body.items[0]).toMatchObject({ severity: 'critical', emergency: true, label: '严重缺氧' });
  });

  it('with nobody bound the readings are kept unassigned, and staff give them to the right person', async () => {
    const { kioskId, secret } = await registerKiosk();
    const r = await push(kioskId, secret, fhirBundle(fullCheckup({ sys: 182, dia: 95 })));
    expect(r.body).toMatchObject({ assigned: false, alerts: 0 });
    const list = await call(handler, api.devices.unassigned, { token: nurse });
    const mine = list.body.items.find((u: { kioskId: string }) => u.kioskId === kioskId);
    expect(mine.readings).toHaveLength(11);
    expect(mine.readings.find((x: { code: string }) => x.code === VitalCodes.bpPanel).severity).toBe('critical');

    // Staff of another organisation see nothing of it.
    const outsider = await tokenFor(['nurse'], undefined, 'org-elsewhere');
    const theirs = await call(handler, api.devices.unassigned, { token: outsider });
    expect(theirs.body.items).toEqual([]);

    const idNo = idNumber();
    const person = await patientAccountWithId('李秀英', idNo);
    const wrongName = await call(handler, api.devices.assign, { token: nurse, params: { pushId: mine.id }, body: { idNumber: idNo, name: '李秀' } });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.error.fields[0].path).toBe('body.idNumber');

    const ok = await call(handler, api.devices.assign, { token: nurse, params: { pushId: mine.id }, body: { idNumber: idNo, name: '李秀英' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ readings: 11, people: 1 });
    const theirReadings = await readingsOf(person);
    expect(theirReadings.body.items).toHaveLength(11);
    const alerts = await call(handler, api.devices.alerts, { token: person.token, params: { patientId: person.patientId } });
    expect(alerts.body.items[0]).toMatchObject({ severity: 'critical', label: '3级高血压' });

    const again = await call(handler, api.devices.assign, { token: nurse, params: { pushId: mine.id }, body: { idNumber: idNo, name: '李秀英' } });
    expect(again.status).toBe(404);
    const after = await call(handler, api.devices.unassigned, { token: nurse });
    expect(after.body.items.find((u: { id: string }) => u.id === mine.id)).toBeUndefined();
  });

  it('readings taken before the person bound are not given to them', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    const r = await push(kioskId, secret, fhirBundle([{ code: VitalCodes.heartRate, value: 80, unit: '/min', at: tenMinutesAgo }]));
    expect(r.body.assigned).toBe(false);
    expect((await readingsOf(who)).body.items).toEqual([]);
  });
});

async function patientAccountWithId(name: string, idNo: string) {
  const userId = `u_${randomUUID()}`;
  const token = await tokenFor(['patient'], userId);
  const r = await addPersonByRoute({ token, body: { name, relation: 'self', phone: '13800138000', idNumber: idNo }, headers: { 'idempotency-key': `fx-${randomUUID()}` } });
  expect(r.status).toBe(201);
  return { userId, token, patientId: r.body.id as string };
}

describe('idempotency by Bundle.identifier', () => {
  it('a re-push of the same bundle (new nonce) changes nothing and is answered as a duplicate', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    const b = fhirBundle(fullCheckup({ sys: 170, dia: 100 }));
    const first = await push(kioskId, secret, b);
    const second = await push(kioskId, secret, b);
    expect(first.body.status).toBe('accepted');
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ status: 'duplicate', readings: 11, alerts: 1, assigned: true });
    expect((await readingsOf(who)).body.items).toHaveLength(11);
    const alerts = await call(handler, api.devices.alerts, { token: who.token, params: { patientId: who.patientId } });
    expect(alerts.body.items).toHaveLength(1);
    expect((await inbox(who.userId)).filter((m) => m.template === 'reading_alert')).toHaveLength(1);
  });

  it('the same push arriving twice at the same instant stores each reading once and sends one message', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    const b = fhirBundle(fullCheckup({ sys: 168, dia: 96 }));
    const results = await Promise.all([push(kioskId, secret, b), push(kioskId, secret, b), push(kioskId, secret, b)]);
    expect(results.map((r) => r.status)).toEqual([202, 202, 202]);
    expect((await readingsOf(who)).body.items).toHaveLength(11);
    expect((await call(handler, api.devices.alerts, { token: who.token, params: { patientId: who.patientId } })).body.items).toHaveLength(1);
    expect((await inbox(who.userId)).filter((m) => m.template === 'reading_alert')).toHaveLength(1);
  });

  it('a push whose write died half-way is completed by the re-push, for the same person', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    const b = fhirBundle(fullCheckup());
    await push(kioskId, secret, b);
    const items = (await readingsOf(who)).body.items;
    // Simulate the lost part: two reading items never reached the table.
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { db, table } = await import('#lib/table');
    for (const r of items.slice(0, 2)) {
      await db.send(new DeleteCommand({ TableName: table(), Key: { PK: `READ#${who.patientId}`, SK: `R#${r.code}#${r.effectiveAt}#${r.id}` } }));
    }
    expect((await readingsOf(who)).body.items).toHaveLength(9);
    // Meanwhile the person left: the re-push still goes to them, as decided the first time.
    await call(handler, api.devices.endSession, { token: who.token, params: { kioskId } });
    const again = await push(kioskId, secret, b);
    expect(again.body).toMatchObject({ status: 'duplicate', assigned: true });
    expect((await readingsOf(who)).body.items).toHaveLength(11);
  });

  it('a bundle without any times, re-pushed later, is still the same push', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    const b = fhirBundle([{ code: VitalCodes.heartRate, value: 70, unit: '/min' }]) as unknown as { timestamp?: string; entry: { resource: Record<string, unknown> }[] };
    delete b.timestamp;
    for (const e of b.entry) delete e.resource.effectiveDateTime;
    expect((await push(kioskId, secret, b)).body.status).toBe('accepted');
    await new Promise((r) => setTimeout(r, 1100));
    const again = await push(kioskId, secret, b);
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('duplicate');
    expect((await readingsOf(who)).body.items).toHaveLength(1);
  });

  it('the same identifier with different content is a conflict', async () => {
    const { kioskId, secret } = await registerKiosk();
    const id = randomUUID();
    expect((await push(kioskId, secret, fhirBundle([{ code: VitalCodes.heartRate, value: 70, unit: '/min', at: '2026-01-01T08:00:00+08:00' }], { id }))).status).toBe(202);
    const r = await push(kioskId, secret, fhirBundle([{ code: VitalCodes.heartRate, value: 99, unit: '/min', at: '2026-01-01T08:00:00+08:00' }], { id }));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('BUNDLE_CONFLICT');
  });
});

describe('units and impossible values', () => {
  let kioskId: string;
  let secret: string;
  let who: Awaited<ReturnType<typeof patientAccount>>;
  beforeAll(async () => {
    ({ kioskId, secret } = await registerKiosk());
    who = await patientAccount();
    await bind(kioskId, who);
  });

  it('kPa, °F and mg/dL are stored as mmHg, °C and mmol/L', async () => {
    const r = await push(kioskId, secret, fhirBundle([
      { code: VitalCodes.bpPanel, systolic: 21.3, diastolic: 13.3, unit: 'kPa' },
      { code: VitalCodes.temperature, value: 100.4, unit: '[degF]' },
      { code: VitalCodes.glucose, value: 54, unit: 'mg/dL' },
    ]));
    expect(r.status).toBe(202);
    const items = (await readingsOf(who)).body.items;
    const by = (c: string) => items.find((i: { code: string }) => i.code === c);
    expect(by(VitalCodes.bpPanel)).toMatchObject({ systolic: 160, diastolic: 100, unit: 'mm[Hg]', label: '2级高血压' });
    expect(by(VitalCodes.temperature)).toMatchObject({ value: 38, unit: 'Cel', display: '38.0 ℃' });
    expect(by(VitalCodes.glucose)).toMatchObject({ value: 3, unit: 'mmol/L', severity: 'warning', label: '1级低血糖' });
  });

  it('refuses the whole push with a 400 naming every bad entry, and stores none of it', async () => {
    const bad: SimReading[] = [
      { code: VitalCodes.heartRate, value: 72, unit: '/min' },
      { code: VitalCodes.temperature, value: 98.6, unit: 'Cel' },
      { code: VitalCodes.bpPanel, systolic: 80, diastolic: 120 },
      { code: VitalCodes.glucose, value: 6, unit: 'g/L' },
      { code: VitalCodes.spo2, value: 130, unit: '%' },
    ];
    const id = randomUUID();
    const before = (await readingsOf(who)).body.items.length;
    const r = await push(kioskId, secret, fhirBundle(bad, { id }));
    expect(r.status).toBe(400);
    const paths = r.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(['entry[2]', 'entry[3]', 'entry[4]', 'entry[5]']);
    expect(r.body.error.fields[0].message).toContain('体温');
    expect((await readingsOf(who)).body.items.length).toBe(before);
    // Corrected and re-sent under the same identifier, it is accepted.
    const fixed = await push(kioskId, secret, fhirBundle(bad.slice(0, 1), { id }));
    expect(fixed.body.status).toBe('accepted');
  });

  it('refuses a bundle without identifier or not a transaction', async () => {
    const b = fhirBundle(fullCheckup()) as Record<string, unknown>;
    const r = await push(kioskId, secret, { ...b, type: 'collection', identifier: undefined });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['type', 'identifier.value']);
  });
});

describe('formats and payloads', () => {
  let kioskId: string;
  let secret: string;
  let who: Awaited<ReturnType<typeof patientAccount>>;
  beforeAll(async () => {
    ({ kioskId, secret } = await registerKiosk());
    who = await patientAccount();
    await bind(kioskId, who);
  });

  it('the simulator’s bundle is valid FHIR R4', () => {
    const b = fhirBundle(fullCheckup(), { panels: [urinePanel()] });
    const result = new Fhir().validate(b, { errorOnUnexpected: true });
    expect(result.messages.filter((m) => String(m.severity) === 'error')).toEqual([]);
  });

  it('accepts HL7 v2 ORU^R01, pairing systolic and diastolic OBX into one blood pressure', async () => {
    const msg = hl7Message([{ code: VitalCodes.bpPanel, systolic: 150, diastolic: 92 }, { code: VitalCodes.heartRate, value: 88, unit: '/min' }, { code: VitalCodes.temperature, value: 36.5, unit: 'Cel' }]);
    const r = await push(kioskId, secret, msg, { contentType: 'application/hl7-v2; charset=utf-8' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ readings: 3, assigned: true });
    const bp = (await readingsOf(who, { code: VitalCodes.bpPanel })).body.items.find((i: { systolic: number }) => i.systolic === 150);
    expect(bp).toMatchObject({ diastolic: 92, label: '1级高血压' });
    const again = await push(kioskId, secret, msg, { contentType: 'application/hl7-v2' });
    expect(again.body.status).toBe('duplicate');
  });

  it('names a bad OBX in an HL7 message', async () => {
    const msg = hl7Message([{ code: VitalCodes.heartRate, value: 88, unit: '/min' }]).replace('OBX|1|NM|8867-4^^LN||88', 'OBX|1|NM|8867-4^^LN||eighty');
    const r = await push(kioskId, secret, msg, { contentType: 'application/hl7-v2' });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('OBX[1]-5');
  });

  it('keeps panels as DiagnosticReport members and the ECG waveform outside the table, linked', async () => {
    const samples = Array.from({ length: 5000 }, (_, i) => Math.round(1000 * Math.sin(i / 20)));
    const r = await push(kioskId, secret, fhirBundle([{ code: VitalCodes.ecgWaveform, valueText: '窦性心律', waveform: samples }], { panels: [urinePanel(), bloodCountPanel()] }));
    expect(r.status).toBe(202);
    expect(r.body.readings).toBe(1 + 12 + 20);
    const items = (await readingsOf(who)).body.items;
    expect(items.filter((i: { panel?: string }) => i.panel === VitalCodes.urinePanel)).toHaveLength(12);
    expect(items.filter((i: { panel?: string }) => i.panel === VitalCodes.bloodCountPanel)).toHaveLength(20);
    expect(items.find((i: { code: string }) => i.code === '718-7')).toMatchObject({ value: 138, unit: 'g/L', panel: VitalCodes.bloodCountPanel });
    const ecg = items.find((i: { code: string }) => i.code === VitalCodes.ecgWaveform);
    expect(ecg.hasWaveform).toBe(true);
    expect(readdirSync(join(DATA_DIR, 'blobs', 'ecg', kioskId))).toEqual([`${ecg.id}.json`]);
    const w = await call(handler, api.devices.waveform, { token: who.token, params: { patientId: who.patientId, readingId: ecg.id } });
    expect(w.status).toBe(200);
    expect(w.body.leads[0].samples).toHaveLength(5000);
    expect(w.body.leads[0].samples[20]).toBe(samples[20]);
  });
});

describe('reading it back is scoped to the account; staff need a grant and are audited', () => {
  it('another account gets 404 for someone else’s person; staff without a grant 403, with one 200, both audited', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    await push(kioskId, secret, fhirBundle(fullCheckup()));
    const other = await patientAccount();
    for (const route of [api.devices.readings, api.devices.latest, api.devices.alerts]) {
      const r = await call(handler, route, { token: other.token, params: { patientId: who.patientId } });
      expect(r.status).toBe(404);
    }

    const doctorId = `u_${randomUUID()}`;
    const doctor = await tokenFor(['doctor'], doctorId, 'org-city');
    const refused = await call(handler, api.devices.staffReadings, { token: doctor, params: { patientId: who.patientId }, query: { purpose: 'consultation' } });
    expect(refused.status).toBe(403);
    const grant = await call(records, api.records.grantConsent, {
      token: who.token,
      body: { patientId: who.patientId, grantee: { type: 'org', id: 'org-city' }, purpose: 'consultation', scopes: ['readings'], days: 1 },
    });
    expect(grant.status).toBe(201);
    const allowed = await call(handler, api.devices.staffReadings, { token: doctor, params: { patientId: who.patientId }, query: { purpose: 'consultation', code: VitalCodes.heartRate } });
    expect(allowed.status).toBe(200);
    expect(allowed.body.items).toHaveLength(1);
    const log = await call(records, api.records.accessLog, { token: who.token, params: { patientId: who.patientId } });
    const mine = log.body.entries.filter((e: { resource: string }) => e.resource.startsWith('readings'));
    expect(mine.map((e: { outcome: string }) => e.outcome).sort()).toEqual(['allowed', 'refused']);
  });

  it('readings are in the person’s FHIR export as valid Observations (blood pressure with its components)', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    await push(kioskId, secret, fhirBundle(fullCheckup({ sys: 165, dia: 102 }), { panels: [urinePanel()] }));
    const r = await call(fhirHandler, api.fhir.everything, { token: who.token, params: { patientId: who.patientId } });
    expect(r.status).toBe(200);
    const obs = r.body.entry.map((e: { resource: Record<string, unknown> }) => e.resource).filter((x: { resourceType: string }) => x.resourceType === 'Observation');
    const bp = obs.find((o: { code: { coding: { code: string }[] } }) => o.code.coding[0].code === VitalCodes.bpPanel);
    expect(bp.component.map((c: { valueQuantity: { value: number } }) => c.valueQuantity.value)).toEqual([165, 102]);
    expect(bp.interpretation[0]).toMatchObject({ coding: [{ code: 'A' }], text: '2级高血压' });
    expect(obs.filter((o: { category: { coding: { code: string }[] }[] }) => o.category[0].coding[0].code === 'laboratory')).toHaveLength(12);
    const result = new Fhir().validate(r.body, { errorOnUnexpected: true });
    expect(result.messages.filter((m) => String(m.severity) === 'error')).toEqual([]);
  });

  it('filters by sign and period, oldest first', async () => {
    const { kioskId, secret } = await registerKiosk();
    const who = await patientAccount();
    await bind(kioskId, who);
    const t0 = Date.now();
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    await push(kioskId, secret, fhirBundle([
      { code: VitalCodes.heartRate, value: 61, unit: '/min', at: at(10) },
      { code: VitalCodes.heartRate, value: 62, unit: '/min', at: at(20) },
      { code: VitalCodes.heartRate, value: 63, unit: '/min', at: at(30) },
      { code: VitalCodes.temperature, value: 36.6, unit: 'Cel', at: at(20) },
    ]));
    const hr = await readingsOf(who, { code: VitalCodes.heartRate });
    expect(hr.body.items.map((i: { value: number }) => i.value)).toEqual([61, 62, 63]);
    const middle = await readingsOf(who, { code: VitalCodes.heartRate, from: at(15).replace('Z', '+00:00'), to: at(25) });
    expect(middle.body.items.map((i: { value: number }) => i.value)).toEqual([62]);
    const allSigns = await readingsOf(who, { from: at(15), to: at(25) });
    expect(allSigns.body.items.map((i: { code: string }) => i.code).sort()).toEqual([VitalCodes.temperature, VitalCodes.heartRate].sort());
    const bad = await readingsOf(who, { from: '2026-02-01T00:00:00+08:00', to: '2026-01-01T00:00:00+08:00' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('query.from');
  });
});
