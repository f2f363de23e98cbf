/**
 * A laboratory pushes reports: signature, idempotency, amendments with history, the same model from
 * FHIR and HL7 v2, held reports for unknown people, and every bad entry named.
 */
import { addPersonByRoute } from '#test/people';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { idNumber } from '#test/fixtures';
import { inbox } from '#lib/notifier';
import { logger } from '#lib/logger';
import { handler as patients } from '../patients/handler';
import { handler } from './handler';
import { parseFhir } from './ingest/fhir-in';
import { parseHl7 } from './ingest/hl7-in';
import { CBC, fhirReport, hl7Report, signedHeaders, type LabReportSpec } from './test-fixtures';

/** A patient account with one person whose ID number the lab knows. */
async function person(family = '张', given = '建国') {
  const userId = `u_${randomUUID()}`;
  const token = await tokenFor(['patient'], userId);
  const id = idNumber();
  const r = await addPersonByRoute({ token, body: { name: `${family}${given}`, relation: 'self', phone: '13800138000', idNumber: id } });
  expect(r.status).toBe(201);
  return { userId, token, patientId: r.body.id as string, idNumber: id, family, given };
}

const spec = (p: { idNumber: string; family: string; given: string }, o: Partial<LabReportSpec> = {}): LabReportSpec => ({
  identifier: `LAB-${randomUUID().slice(0, 8)}`,
  idNumber: p.idNumber,
  family: p.family,
  given: p.given,
  issued: '2025-06-08T10:20:00+08:00',
  collected: '2025-06-08T08:05:00+08:00',
  ...o,
});

function push(body: string, o: Parameters<typeof signedHeaders>[1] = {}) {
  return call(handler, api.reports.ingest, { rawBody: body, headers: signedHeaders(body, o) });
}
const pushFhir = (s: LabReportSpec, o: Parameters<typeof signedHeaders>[1] = {}) => push(JSON.stringify(fhirReport(s)), o);
const pushHl7 = (s: LabReportSpec, o: Parameters<typeof signedHeaders>[1] = {}) => push(hl7Report(s), { contentType: 'x-application/hl7-v2+er7', ...o });

const mine = async (p: { token: string; patientId: string }) => (await call(handler, api.reports.mine, { token: p.token, query: { patientId: p.patientId } })).body.items;

describe('the signature on a lab push', () => {
  const body = JSON.stringify(fhirReport({ identifier: 'SIG-1', family: '张', given: '三', issued: '2025-06-08T10:20:00+08:00' }));

  it('a tampered body is refused', async () => {
    const headers = signedHeaders(body);
    const r = await call(handler, api.reports.ingest, { rawBody: body.replace('11.2', '1.2'), headers });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SIGNATURE_INVALID');
  });

  it('a stale timestamp is refused (±300 s)', async () => {
    const r = await push(body, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SIGNATURE_EXPIRED');
    expect((await push(body, { timestamp: Math.floor(Date.now() / 1000) + 301 })).status).toBe(401);
  });

  it('a replayed push (same nonce) is refused the second time', async () => {
    const p = await person();
    const b = JSON.stringify(fhirReport(spec(p)));
    const headers = signedHeaders(b);
    expect((await call(handler, api.reports.ingest, { rawBody: b, headers })).status).toBe(202);
    const again = await call(handler, api.reports.ingest, { rawBody: b, headers });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REPLAYED');
  });

  it('the wrong key, an unknown source or missing headers are refused', async () => {
    expect((await push(body, { secret: 'someone-elses-secret-0123456789' })).status).toBe(401);
    expect((await push(body, { source: 'unknown-lab' })).status).toBe(401);
    // Another lab's valid secret does not sign for this one.
    expect((await push(body, { source: 'city-lis', secret: 'local-lab-secret-regional-lab' })).status).toBe(401);
    const r = await call(handler, api.reports.ingest, { rawBody: body, headers: { 'content-type': 'application/fhir+json' } });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SIGNATURE_MISSING');
  });
});

describe('ingestion', () => {
  it('HL7 v2 ORU^R01 and FHIR R4 of the same report give the same model', () => {
    const s = spec({ idNumber: idNumber(), family: '张', given: '建国' });
    const fhir = parseFhir(fhirReport(s));
    const hl7 = parseHl7(hl7Report(s));
    expect(fhir.problems).toEqual([]);
    expect(hl7.problems).toEqual([]);
    const strip = (r: (typeof fhir.reports)[0]) => ({ ...r, identifier: r.identifier.value });
    expect(strip(hl7.reports[0])).toEqual(strip(fhir.reports[0]));
    expect(fhir.reports[0]).toMatchObject({
      type: 'lab',
      code: '58410-2',
      title: '血常规',
      performer: '泰安市中心医院检验科',
      issuedAt: '2025-06-08T02:20:00.000Z',
      effectiveAt: '2025-06-08T00:05:00.000Z',
    });
    expect(fhir.reports[0].observations[0]).toEqual({ code: '6690-2', name: '白细胞计数', value: 11.2, unit: '10*9/L', range: { low: 3.5, high: 9.5 }, flag: 'high' });
  });

  it('a report pushed as FHIR and again as HL7 v2 is stored once', async () => {
    const p = await person();
    const s = spec(p, { performer: '泰山医学检验所' });
    const first = await pushFhir(s);
    expect(first.status).toBe(202);
    expect(first.body.reports).toEqual([expect.objectContaining({ outcome: 'created', held: false })]);
    const second = await pushHl7(s);
    expect(second.status).toBe(202);
    expect(second.body.reports).toEqual([expect.objectContaining({ reportId: first.body.reports[0].reportId, outcome: 'duplicate' })]);
    expect(await mine(p)).toHaveLength(1);
  });

  it('a resend changes nothing and tells the family once', async () => {
    const p = await person();
    const s = spec(p);
    await pushFhir(s);
    const again = await pushFhir(s);
    expect(again.body.reports[0].outcome).toBe('duplicate');
    expect(await mine(p)).toHaveLength(1);
    const messages = (await inbox(p.userId)).filter((m) => m.template === 'report_ready');
    expect(messages).toHaveLength(1);
    // The message says a report is out, never what it says.
    expect(messages[0].body).not.toContain('11.2');
    expect(messages[0].ref).toBe(`report:${again.body.reports[0].reportId}`);
  });

  it('an amended report supersedes the first and keeps its history; resending the old one changes nothing', async () => {
    const p = await person();
    const s = spec(p);
    const created = await pushFhir(s);
    const reportId = created.body.reports[0].reportId;
    const fixed = CBC.map((v) => (v.code === '6690-2' ? { ...v, value: 8.1, flag: 'N' } : v));
    const amended = await pushHl7({ ...s, status: 'amended', issued: '2025-06-08T11:00:00+08:00', values: fixed });
    expect(amended.body.reports[0]).toMatchObject({ reportId, outcome: 'amended' });

    const detail = await call(handler, api.reports.detail, { token: p.token, params: { reportId } });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: 'corrected', version: 2, amended: true });
    expect(detail.body.observations.find((o: { code: string }) => o.code === '6690-2')).toMatchObject({ value: 8.1, flag: 'normal' });
    expect(detail.body.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'final'], [2, 'corrected']]);

    // A late resend of version 1 is a duplicate, not a rollback.
    expect((await pushFhir(s)).body.reports[0].outcome).toBe('duplicate');
    expect((await call(handler, api.reports.detail, { token: p.token, params: { reportId } })).body.version).toBe(2);
    expect(await mine(p)).toHaveLength(1);
  });

  it('a changed report still marked final is refused, and so is an older amendment', async () => {
    const p = await person();
    const s = spec(p);
    await pushFhir(s);
    const changed = await pushFhir({ ...s, values: CBC.slice(1) });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('REPORT_CHANGED');
    const older = await pushFhir({ ...s, status: 'amended', issued: '2025-06-08T09:00:00+08:00', values: CBC.slice(1) });
    expect(older.status).toBe(409);
    expect(older.body.error.code).toBe('STALE_VERSION');
  });

  it('a retracted report disappears from the list; its detail shows no results', async () => {
    const p = await person();
    const s = spec(p);
    const reportId = (await pushFhir(s)).body.reports[0].reportId;
    const r = await pushFhir({ ...s, status: 'entered-in-error', issued: '2025-06-08T12:00:00+08:00' });
    expect(r.body.reports[0].outcome).toBe('retracted');
    expect(await mine(p)).toEqual([]);
    const detail = await call(handler, api.reports.detail, { token: p.token, params: { reportId } });
    expect(detail.body).toMatchObject({ status: 'entered-in-error', observations: [] });
  });

  it('a report that cannot be dated is refused whole, every bad entry named; a unit outside UCUM is kept as sent, not an error', async () => {
    const p = await person();
    const bad = fhirReport(spec(p)) as ReturnType<typeof fhirReport> & { contained: any[] };
    bad.contained[1].code.coding[0].code = '6690-3'; // wrong LOINC check digit
    bad.contained[2].valueQuantity.system = 'urn:local-units';
    bad.contained[3].valueQuantity.value = 'high';
    bad.contained[4].interpretation[0].coding[0].code = 'ZZ';
    (bad as any).issued = '2025-06-08 10:20';
    (bad as any).result.push({ reference: '#nope' });
    const r = await push(JSON.stringify(bad));
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: { path: string }) => f.path)).toEqual([
      'body.issued',
      'body.contained.1.code.coding',
      'body.contained.3.valueQuantity.value',
      'body.contained.4.interpretation.0.coding.0.code',
      'body.result.5.reference',
    ]);
    expect(await mine(p)).toEqual([]);
  });

  it('a report with some bad results files the good ones and names the bad ones in the 202 answer', async () => {
    const p = await person();
    const s = spec(p);
    const bad = fhirReport(s) as ReturnType<typeof fhirReport> & { contained: any[] };
    bad.contained[1].code.coding[0].code = '6690-3';
    bad.contained[2].valueQuantity.system = 'urn:local-units';
    bad.contained[3].valueQuantity.value = 'high';
    const r = await push(JSON.stringify(bad));
    expect(r.status).toBe(202);
    expect(r.body.reports).toEqual([expect.objectContaining({ identifier: s.identifier, outcome: 'created', results: 3, rejected: 2 })]);
    expect(r.body.rejected.map((f: { path: string; code?: string }) => [f.path, f.code])).toEqual([
      ['body.contained.1.code.coding', '6690-3'],
      ['body.contained.3.valueQuantity.value', '718-7'],
    ]);
    const d = await call(handler, api.reports.detail, { token: p.token, params: { reportId: r.body.reports[0].reportId } });
    expect(d.body.observations.map((o: { code: string }) => o.code)).toEqual(['789-8', '777-3', '770-8']);
    // The red cell count's unit was sent in a local system: kept as the lab wrote it, with its UCUM form.
    expect(d.body.observations[0]).toMatchObject({ unit: '10*12/L' });
    expect(JSON.stringify(r.body.rejected)).not.toContain('142');
  });

  it('a bad HL7 result names segment and field; the report’s other results are filed and the ACK is AE', async () => {
    const p = await person();
    const msg = hl7Report(spec(p)).replace('6690-2^白细胞计数^LN||11.2', '6690-2^白细胞计数^LN||十一').replace('|g/L^^UCUM|', '|克/升^^UCUM|');
    const r = await push(msg, { contentType: 'x-application/hl7-v2+er7' });
    expect(r.status).toBe(202);
    expect(r.body.rejected).toEqual([
      expect.objectContaining({ path: 'OBX[1]-5', code: '6690-2' }),
      expect.objectContaining({ path: 'OBX[3]-6', message: expect.stringContaining('UCUM'), code: '718-7' }),
    ]);
    expect(r.body.reports[0]).toMatchObject({ results: 3, rejected: 2 });
    const ack = r.body.ack.split('\r');
    expect(ack[1]).toMatch(/^MSA\|AE\|/);
    expect(ack.slice(2).map((l: string) => l.split('|')[2])).toEqual(['OBX^1^5', 'OBX^3^6']);
    const notOru = await push(hl7Report(spec(p)).replace('ORU^R01^ORU_R01', 'ADT^A01^ADT_A01'), { contentType: 'x-application/hl7-v2+er7' });
    expect(notOru.status).toBe(400);
    expect(notOru.body.error.fields[0].path).toBe('MSH-9');
  });

  it('an unreadable body or an unknown media type is a 4xx, never a 500', async () => {
    expect((await push('{"resourceType": "DiagnosticReport", ')).status).toBe(400);
    expect((await push('<xml/>', { contentType: 'application/xml' })).status).toBe(415);
    expect((await push('MSH|garbage', { contentType: 'x-application/hl7-v2+er7' })).status).toBe(400);
    expect((await push(JSON.stringify({ resourceType: 'Patient' }))).status).toBe(400);
  });
});

describe('reports for a person we do not know', () => {
  it('are held, not dropped, and staff match them by ID number; the family is then told', async () => {
    const unknownId = idNumber();
    const held = await pushFhir(spec({ idNumber: unknownId, family: '李', given: '四' }));
    expect(held.status).toBe(202);
    expect(held.body.reports[0]).toMatchObject({ outcome: 'created', held: true });
    const reportId = held.body.reports[0].reportId;

    const nurse = await tokenFor(['nurse'], `nurse-${randomUUID()}`, 'org-city', '陈护士');
    const list = await call(handler, api.reports.held, { token: nurse });
    const entry = list.body.items.find((i: { id: string }) => i.id === reportId);
    expect(entry).toMatchObject({ reason: 'unknown_person', subjectName: '李四', title: '血常规' });
    expect(entry.idNumberMasked).toMatch(/^\d{4}\*+\w{4}$/);
    expect(JSON.stringify(list.body)).not.toContain(unknownId);

    // The person registers later; staff confirm the report is theirs.
    const userId = `u_${randomUUID()}`;
    const token = await tokenFor(['patient'], userId);
    const created = await addPersonByRoute({ token, body: { name: '李四', relation: 'self', phone: '13800138000', idNumber: unknownId } });
    const patientId = created.body.id;
    expect(await mine({ token, patientId })).toEqual([]);
    const matched = await call(handler, api.reports.match, { token: nurse, params: { reportId }, body: { idNumber: unknownId } });
    expect(matched.status).toBe(200);
    expect(await mine({ token, patientId })).toEqual([expect.objectContaining({ id: reportId })]);
    expect((await inbox(userId)).map((m) => m.template)).toContain('report_ready');
    expect((await call(handler, api.reports.match, { token: nurse, params: { reportId }, body: { idNumber: unknownId } })).status).toBe(409);
  });

  it('a name that disagrees with the registered person is held too', async () => {
    const p = await person('王', '五');
    const r = await pushFhir(spec(p, { family: '汪', given: '五' }));
    expect(r.body.reports[0].held).toBe(true);
    expect(await mine(p)).toEqual([]);
    const noId = await pushHl7(spec(p, { idNumber: undefined }));
    expect(noId.body.reports[0].held).toBe(true);
  });

  it('matching to a number nobody registered is a 404 and the report stays held', async () => {
    const r = await pushFhir(spec({ idNumber: idNumber(), family: '赵', given: '六' }));
    const admin = await tokenFor(['admin']);
    const m = await call(handler, api.reports.match, { token: admin, params: { reportId: r.body.reports[0].reportId }, body: { idNumber: idNumber() } });
    expect(m.status).toBe(404);
    const bad = await call(handler, api.reports.match, { token: admin, params: { reportId: r.body.reports[0].reportId }, body: { idNumber: '123' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('body.idNumber');
  });
});

describe('the logs of a push', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    logger.setLogLevel('WARN');
  });

  it('name the report and outcome, never the person, their ID number or a value', async () => {
    const p = await person('欧阳', '日志');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
    logger.setLogLevel('DEBUG');
    const r = await pushHl7(spec(p));
    expect(r.status).toBe(202);
    await push('{"resourceType":"DiagnosticReport"}');
    const text = lines.join('\n');
    expect(text).toContain('lab report stored');
    for (const secret of [p.idNumber, p.idNumber.slice(6, 14), '欧阳日志', '11.2', '78.5']) expect(text).not.toContain(secret);
  });
});
