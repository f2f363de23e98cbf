/**
 * Reading reports: a patient only ever sees their own people's reports (every route); staff read
 * with consent and every read — refused too — is in the access log; trends; exam reports.
 */
import { addPersonByRoute } from '#test/people';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { idNumber } from '#test/fixtures';
import { putUser } from '../auth/store';
import { handler as patients } from '../patients/handler';
import { handler as records } from '../records/handler';
import { handler } from './handler';
import { CBC, fhirReport, hl7Report, signedHeaders } from './test-fixtures';

const doctorId = `doc-${randomUUID()}`;
let doctor: string;
beforeAll(async () => {
  await putUser({ userId: doctorId, name: '李医生', roles: [], memberships: [{ orgId: 'org-city', roles: ['doctor'] }], createdAt: new Date().toISOString() });
  doctor = await tokenFor(['doctor'], doctorId, 'org-city', '李医生');
});

async function personWithReport(name = '张建国', values = CBC, issued = '2025-06-08T10:20:00+08:00') {
  const userId = `u_${randomUUID()}`;
  const token = await tokenFor(['patient'], userId);
  const id = idNumber();
  const p = await addPersonByRoute({ token, body: { name, relation: 'self', phone: '13800138000', idNumber: id } });
  const body = JSON.stringify(fhirReport({ identifier: `LAB-${randomUUID().slice(0, 8)}`, idNumber: id, family: name[0], given: name.slice(1), issued, values }));
  const r = await call(handler, api.reports.ingest, { rawBody: body, headers: signedHeaders(body) });
  expect(r.status).toBe(202);
  return { userId, token, idNumber: id, patientId: p.body.id as string, reportId: r.body.reports[0].reportId as string };
}

async function pushFor(p: { idNumber: string }, name: string, values = CBC, issued = '2025-06-08T10:20:00+08:00', extra: Record<string, unknown> = {}) {
  const body = JSON.stringify({ ...fhirReport({ identifier: `LAB-${randomUUID().slice(0, 8)}`, idNumber: p.idNumber, family: name[0], given: name.slice(1), issued, values }), ...extra });
  const r = await call(handler, api.reports.ingest, { rawBody: body, headers: signedHeaders(body) });
  expect(r.status).toBe(202);
  return r.body.reports[0].reportId as string;
}

describe('a patient reads their own people’s reports', () => {
  it('lists by person and type, newest first, with the abnormal count; the detail has value, unit, range and flag', async () => {
    const a = await personWithReport();
    const list = await call(handler, api.reports.mine, { token: a.token, query: { patientId: a.patientId } });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: a.reportId, type: 'lab', title: '血常规', abnormalCount: 2, critical: false, patientId: a.patientId })]);
    expect((await call(handler, api.reports.mine, { token: a.token, query: { patientId: a.patientId, type: 'exam' } })).body.items).toEqual([]);

    const d = await call(handler, api.reports.detail, { token: a.token, params: { reportId: a.reportId }, query: { patientId: a.patientId } });
    expect(d.status).toBe(200);
    expect(d.body.observations[0]).toMatchObject({ code: '6690-2', name: '白细胞计数', value: 11.2, unit: '10*9/L', range: { low: 3.5, high: 9.5 }, flag: 'high', hint: expect.any(String) });
    // The response never carries the ID number or its hash.
    expect(d.text).not.toContain(a.idNumber);
    expect(d.text).not.toContain('idKey');
  });

  it('a critical value marks the report critical', async () => {
    const a = await personWithReport('刘危急', [{ code: '2823-3', name: '钾', value: 6.9, unit: 'mmol/L', low: 3.5, high: 5.3, flag: 'HH' }]);
    const list = await call(handler, api.reports.mine, { token: a.token, query: { patientId: a.patientId } });
    expect(list.body.items[0]).toMatchObject({ critical: true, abnormalCount: 1 });
    const d = await call(handler, api.reports.detail, { token: a.token, params: { reportId: a.reportId } });
    expect(d.body.observations[0].flag).toBe('critical_high');
  });

  it('an exam report carries findings and conclusion', async () => {
    const a = await personWithReport();
    const hl7 = [
      'MSH|^~\\&|PACS|TACH|HIS|TACH|20250609150000+0800||ORU^R01^ORU_R01|M2|P|2.5.1',
      `PID|1||${a.idNumber}^^^^NNCHN||张^建国`,
      'OBR|1||US-1^TACH-PACS|24558-9^腹部超声^LN|||20250609143000+0800|||||||||||||||20250609150000+0800||US|F',
      'OBX|1|TX|59776-5^检查所见^LN||肝脏大小形态正常，包膜光滑。~胆囊壁毛糙，厚约0.4cm。||||||F',
      'OBX|2|TX|19005-8^诊断意见^LN||胆囊壁毛糙，建议复查。||||||F',
    ].join('\r');
    const r = await call(handler, api.reports.ingest, { rawBody: hl7, headers: signedHeaders(hl7, { contentType: 'x-application/hl7-v2+er7' }) });
    expect(r.status).toBe(202);
    const exams = await call(handler, api.reports.mine, { token: a.token, query: { patientId: a.patientId, type: 'exam' } });
    expect(exams.body.items).toEqual([expect.objectContaining({ title: '腹部超声', type: 'exam', category: 'US' })]);
    const d = await call(handler, api.reports.detail, { token: a.token, params: { reportId: exams.body.items[0].id } });
    expect(d.body).toMatchObject({ findings: '肝脏大小形态正常，包膜光滑。\n胆囊壁毛糙，厚约0.4cm。', conclusion: '胆囊壁毛糙，建议复查。', observations: [] });
  });

  it('the trend of an analyte runs oldest first across reports, in one unit', async () => {
    const a = await personWithReport('孙趋势', CBC, '2025-03-01T09:00:00+08:00');
    await pushFor(a, '孙趋势', CBC.map((v) => (v.code === '6690-2' ? { ...v, value: 9.0, flag: 'N' } : v)), '2025-05-01T09:00:00+08:00');
    await pushFor(a, '孙趋势', CBC.map((v) => (v.code === '6690-2' ? { ...v, value: 7.4, flag: 'N' } : v)), '2025-04-01T09:00:00+08:00');
    const t = await call(handler, api.reports.trend, { token: a.token, query: { patientId: a.patientId, code: '6690-2' } });
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ code: '6690-2', name: '白细胞计数', unit: '10*9/L' });
    expect(t.body.points.map((p: { value: number }) => p.value)).toEqual([11.2, 7.4, 9.0]);
    expect(t.body.points[0]).toMatchObject({ flag: 'high', range: { low: 3.5, high: 9.5 } });
    const bad = await call(handler, api.reports.trend, { token: a.token, query: { patientId: a.patientId, code: 'wbc' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('query.code');
  });

  it('two accounts holding the same person (family) both see the report', async () => {
    const a = await personWithReport('周家人');
    const token = await tokenFor(['patient'], `u_${randomUUID()}`);
    const p = await addPersonByRoute({ token, body: { name: '周家人', relation: 'parent', phone: '13900139000', idNumber: a.idNumber } });
    const list = await call(handler, api.reports.mine, { token, query: { patientId: p.body.id } });
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([a.reportId]);
    expect(list.body.items[0].patientId).toBe(p.body.id);
  });
});

describe('patient A never reads patient B’s reports', () => {
  it('is a 404 on every route, whether or not A names their own person', async () => {
    const a = await personWithReport('甲患者');
    const b = await personWithReport('乙患者');
    expect((await call(handler, api.reports.mine, { token: a.token, query: { patientId: b.patientId } })).status).toBe(404);
    expect((await call(handler, api.reports.trend, { token: a.token, query: { patientId: b.patientId, code: '6690-2' } })).status).toBe(404);
    expect((await call(handler, api.reports.detail, { token: a.token, params: { reportId: b.reportId } })).status).toBe(404);
    expect((await call(handler, api.reports.detail, { token: a.token, params: { reportId: b.reportId }, query: { patientId: a.patientId } })).status).toBe(404);
    expect((await call(handler, api.reports.detail, { token: a.token, params: { reportId: b.reportId }, query: { patientId: b.patientId } })).status).toBe(404);
    // Staff-only routes answer 403 to a patient.
    expect((await call(handler, api.reports.staffList, { token: a.token, params: { patientId: b.patientId }, query: { purpose: 'treatment' } })).status).toBe(403);
    expect((await call(handler, api.reports.staffTrend, { token: a.token, params: { patientId: b.patientId }, query: { purpose: 'treatment', code: '6690-2' } })).status).toBe(403);
    expect((await call(handler, api.reports.held, { token: a.token })).status).toBe(403);
    expect((await call(handler, api.reports.match, { token: a.token, params: { reportId: b.reportId }, body: { idNumber: a.idNumber } })).status).toBe(403);
    // And B's own read still works.
    expect((await call(handler, api.reports.detail, { token: b.token, params: { reportId: b.reportId } })).status).toBe(200);
  });
});

describe('staff read with consent, and every read is audited', () => {
  const log = async (p: { token: string; patientId: string }) => (await call(records, api.records.accessLog, { token: p.token, params: { patientId: p.patientId } })).body.entries
    // The window nurse's 实名核验 is on the trail too; here only the reads of reports.
    .filter((e: { purpose: string }) => e.purpose !== 'identity_verification');

  it('without consent: 403 on list, trend and detail, each refusal in the patient’s access log', async () => {
    const a = await personWithReport('吴无授权');
    const q = { purpose: 'treatment' };
    expect((await call(handler, api.reports.staffList, { token: doctor, params: { patientId: a.patientId }, query: q })).status).toBe(403);
    expect((await call(handler, api.reports.staffTrend, { token: doctor, params: { patientId: a.patientId }, query: { ...q, code: '6690-2' } })).status).toBe(403);
    expect((await call(handler, api.reports.detail, { token: doctor, params: { reportId: a.reportId }, query: { patientId: a.patientId } })).status).toBe(403);
    const entries = await log(a);
    expect(entries).toHaveLength(3);
    expect(entries.every((e: { outcome: string; actorName: string }) => e.outcome === 'refused' && e.actorName === '李医生')).toBe(true);
    expect(entries.map((e: { resource: string }) => e.resource).sort()).toEqual([`report:${a.reportId}`, 'reports', 'reports:trend:6690-2'].sort());
  });

  it('with consent for reports the doctor reads; the read is logged without data; a record-only consent does not cover reports', async () => {
    const a = await personWithReport('郑授权');
    const grant = (scopes: string[]) =>
      call(records, api.records.grantConsent, { token: a.token, body: { patientId: a.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes, days: 7 } });
    expect((await grant(['record'])).status).toBe(201);
    expect((await call(handler, api.reports.staffList, { token: doctor, params: { patientId: a.patientId }, query: { purpose: 'treatment' } })).status).toBe(403);
    const g = await grant(['reports']);
    const list = await call(handler, api.reports.staffList, { token: doctor, params: { patientId: a.patientId }, query: { purpose: 'treatment' } });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([a.reportId]);
    const d = await call(handler, api.reports.detail, { token: doctor, params: { reportId: a.reportId }, query: { patientId: a.patientId } });
    expect(d.status).toBe(200);
    expect(d.body.observations).toHaveLength(5);
    const entries = await log(a);
    expect(entries[0]).toMatchObject({ outcome: 'allowed', resource: `report:${a.reportId}`, actorName: '李医生', basis: `consent:${g.body.id}` });
    expect(JSON.stringify(entries)).not.toContain('11.2');

    // Staff must say whose report: a detail without patientId is a 400, and another person's id a 404.
    expect((await call(handler, api.reports.detail, { token: doctor, params: { reportId: a.reportId } })).status).toBe(400);
    const b = await personWithReport('冯别人');
    await call(records, api.records.grantConsent, { token: b.token, body: { patientId: b.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes: ['reports'], days: 7 } });
    expect((await call(handler, api.reports.detail, { token: doctor, params: { reportId: a.reportId }, query: { patientId: b.patientId } })).status).toBe(404);

    // Revoked: refused at once.
    await call(records, api.records.revokeConsent, { token: a.token, params: { consentId: g.body.id } });
    expect((await call(handler, api.reports.detail, { token: doctor, params: { reportId: a.reportId }, query: { patientId: a.patientId } })).status).toBe(403);
  });

  it('sharing with an Idempotency-Key, as the app does, grants once and a retry gets the same grant', async () => {
    const a = await personWithReport('钱重试');
    const body = { patientId: a.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes: ['reports'], days: 7 };
    const headers = { 'idempotency-key': `share-${randomUUID()}` };
    const first = await call(records, api.records.grantConsent, { token: a.token, body, headers });
    expect(first.status).toBe(201);
    const retry = await call(records, api.records.grantConsent, { token: a.token, body, headers });
    expect(retry.body.id).toBe(first.body.id);
    const list = await call(records, api.records.listConsents, { token: a.token, query: { patientId: a.patientId } });
    expect(list.body.consents).toHaveLength(1);
  });

  it('a doctor sees who shared with them; a patient may name the doctor as the catalog lists them', async () => {
    const a = await personWithReport('陈共享');
    const { putDoctor } = await import('../catalog/store');
    const catalogId = `doc-cat-${randomUUID().slice(0, 8)}`;
    await putDoctor({ id: catalogId, userId: doctorId, orgId: 'org-city', deptId: 'dept-x', name: '李医生', title: '主任医师', specialty: '', intro: '', fee: 0, order: 1 });
    const g = await call(records, api.records.grantConsent, { token: a.token, body: { patientId: a.patientId, grantee: { type: 'doctor', id: catalogId }, purpose: 'consultation', scopes: ['record', 'reports'], days: 3 } });
    expect(g.status).toBe(201);
    expect(g.body.grantee).toMatchObject({ id: doctorId, name: '李医生' });
    const shared = await call(records, api.records.sharedWithMe, { token: doctor });
    expect(shared.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ patientId: a.patientId, patientName: '陈共享', purpose: 'consultation', via: 'doctor' })]));
    const other = await tokenFor(['doctor'], `doc-${randomUUID()}`, 'org-other');
    expect((await call(records, api.records.sharedWithMe, { token: other })).body.items).toEqual([]);
    await call(records, api.records.revokeConsent, { token: a.token, params: { consentId: g.body.id } });
    expect((await call(records, api.records.sharedWithMe, { token: doctor })).body.items.map((i: { patientId: string }) => i.patientId)).not.toContain(a.patientId);
  });
});

describe('a report pushed in HL7 v2 reads the same', () => {
  it('as the FHIR one', async () => {
    const a = await personWithReport('何格式');
    const msg = hl7Report({ identifier: `LAB-${randomUUID().slice(0, 8)}`, idNumber: a.idNumber, family: '何', given: '格式', issued: '2025-06-08T10:20:00+08:00' });
    const r = await call(handler, api.reports.ingest, { rawBody: msg, headers: signedHeaders(msg, { contentType: 'x-application/hl7-v2+er7' }) });
    const [x, y] = await Promise.all(
      [a.reportId, r.body.reports[0].reportId].map((reportId) => call(handler, api.reports.detail, { token: a.token, params: { reportId } })),
    );
    const view = (b: Record<string, unknown>) => ({ ...b, id: undefined, versions: undefined });
    expect(view(y.body)).toEqual(view(x.body));
  });
});
