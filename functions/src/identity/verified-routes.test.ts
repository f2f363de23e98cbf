/**
 * 实名认证, tried as an outsider would: an account types someone's ID number (and real name) and
 * asks every route that returns or changes data filed under it. The list of routes comes from the
 * contract (`person: 'verified'`), so a new route cannot skip the rule: it needs a scenario here.
 * Each gets nothing until that account verifies the person (at a window), then it gets the data.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGREEMENT_VERSION, api, REGIMEN_PRESETS, localDate, routeKey, type RouteDef } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { consentAll, verifyAtWindow } from '#test/people';
import { handler as patients } from '../patients/handler';
import { handler as records } from '../records/handler';
import { handler as reports } from '../reports/handler';
import { handler as fhir } from '../fhir/handler';
import { handler as devices } from '../devices/handler';
import { handler as payments } from '../payments/handler';
import { handler as care } from '../care/handler';
import { handler as medication } from '../medication/handler';
import { handler as privacy } from '../privacy/handler';
import { CBC, fhirReport, signedHeaders } from '../reports/test-fixtures';
import { admit, his, key, ownTable, startPaymentsStack, type Stack } from '../payments/test-fixtures';
import { addPerson, contracted, makeCare, uniqueIdNumber, type Care } from '../care/test-fixtures';

type Res = Awaited<ReturnType<typeof call>>;
interface Outsider { userId: string; token: string; patientId: string }
/** The person whose data the outsider is after: a lab report, a bill, an admission, maybe a supervision invitation. */
interface Victim { idNo: string; reportId: string; billId: string; admissionId: string; planId: string }
interface Scenario {
  run(o: Outsider, v: Victim): Promise<Res>;
  /** Before verification: nothing of the person (default 403 PERSON_NOT_VERIFIED). */
  hidden?(r: Res, v: Victim): void;
  /** After: the data (default any 2xx). */
  shown?(r: Res, v: Victim): void;
  /** Needs a supervision plan naming the victim. */
  plan?: boolean;
}

const notVerified = (r: Res) => {
  expect(r.status, r.text).toBe(403);
  expect(r.body.error).toMatchObject({ code: 'PERSON_NOT_VERIFIED', ways: expect.arrayContaining(['in_person']) });
};
const ok = (r: Res) => expect(r.status, r.text).toBeLessThan(300);

const NAME = '孙丽华';
let stack: Stack;
let team: Care;

const withPatient = (route: RouteDef, handler: Parameters<typeof call>[0], extra: (o: Outsider) => Record<string, unknown> = () => ({})): Scenario => ({
  run: (o) => call(handler, route, { token: o.token, params: { patientId: o.patientId }, query: route.query ? { patientId: o.patientId } : undefined, ...extra(o) }),
});

const scenarios: Record<string, Scenario> = {
  [routeKey(api.records.getRecord)]: withPatient(api.records.getRecord, records),
  [routeKey(api.records.putRecord)]: withPatient(api.records.putRecord, records, () => ({ body: { allergies: [{ substance: '青霉素' }] } })),
  [routeKey(api.records.grantConsent)]: {
    run: (o, v) => call(records, api.records.grantConsent, { token: o.token, body: { patientId: o.patientId, grantee: { type: 'org', id: 'org-city-hospital' }, purpose: 'treatment', scopes: ['record'], days: 7 } }),
  },
  [routeKey(api.records.accessLog)]: withPatient(api.records.accessLog, records),
  [routeKey(api.reports.mine)]: { ...withPatient(api.reports.mine, reports), shown: (r, v) => expect(r.body.items.map((x: { id: string }) => x.id)).toContain(v.reportId) },
  [routeKey(api.reports.trend)]: { run: (o, v) => call(reports, api.reports.trend, { token: o.token, query: { patientId: o.patientId, code: '6690-2' } }), shown: (r, v) => expect(r.body.points.length).toBe(1) },
  [routeKey(api.reports.detail)]: {
    run: (o, v) => call(reports, api.reports.detail, { token: o.token, params: { reportId: v.reportId }, query: { patientId: o.patientId } }),
    shown: (r, v) => expect(r.body.id).toBe(v.reportId),
  },
  [routeKey(api.fhir.everything)]: { run: (o, v) => call(fhir, api.fhir.everything, { token: o.token, params: { patientId: o.patientId } }), shown: (r, v) => expect(r.text).toContain(v.reportId) },
  [routeKey(api.devices.readings)]: withPatient(api.devices.readings, devices),
  [routeKey(api.devices.latest)]: withPatient(api.devices.latest, devices),
  [routeKey(api.devices.waveform)]: {
    run: (o, v) => call(devices, api.devices.waveform, { token: o.token, params: { patientId: o.patientId, readingId: 'r-00000000000000000000' } }),
    shown: (r, v) => expect(r.status).toBe(404), // no such waveform: past the rule, the usual answer
  },
  [routeKey(api.devices.alerts)]: withPatient(api.devices.alerts, devices),
  [routeKey(api.payments.myBills)]: { ...withPatient(api.payments.myBills, payments), shown: (r, v) => expect(r.body.items.map((b: { id: string }) => b.id)).toContain(v.billId) },
  [routeKey(api.payments.myAdmissions)]: {
    run: (o, v) => call(payments, api.payments.myAdmissions, { token: o.token }),
    hidden: (r, v) => expect(r.body.items.map((a: { id: string }) => a.id)).not.toContain(v.admissionId),
    shown: (r, v) => expect(r.body.items.map((a: { id: string }) => a.id)).toContain(v.admissionId),
  },
  [routeKey(api.payments.admission)]: {
    run: (o, v) => call(payments, api.payments.admission, { token: o.token, params: { admissionId: v.admissionId } }),
    hidden: (r, v) => expect(r.status).toBe(404),
    shown: (r, v) => expect(r.body.patientId).toBeDefined(),
  },
  [routeKey(api.payments.create)]: {
    run: (o, v) => call(payments, api.payments.create, { token: o.token, body: { purpose: 'bill', refIds: [v.billId], channel: 'wechat' }, headers: { 'idempotency-key': key() } }),
    hidden: (r, v) => expect(r.status).toBe(404),
    shown: (r, v) => expect(r.status, r.text).toBe(201),
  },
  [routeKey(api.care.sign)]: {
    run: (o, v) => call(care, api.care.sign, { token: o.token, body: { patientId: o.patientId, teamId: team.teamId, packageId: team.packageId, agreementVersion: AGREEMENT_VERSION, accepted: true }, headers: { 'idempotency-key': key() } }),
    shown: (r, v) => expect([201, 409]).toContain(r.status), // 409: the person's one contract lock is held (by the victim's family)
  },
  [routeKey(api.medication.supervised)]: {
    plan: true,
    run: (o, v) => call(medication, api.medication.supervised, { token: o.token }),
    hidden: (r, v) => expect(r.body.invitations.map((p: { id: string }) => p.id)).not.toContain(v.planId),
    shown: (r, v) => expect(r.body.invitations.map((p: { id: string }) => p.id)).toContain(v.planId),
  },
  [routeKey(api.medication.respond)]: {
    plan: true,
    run: (o, v) => call(medication, api.medication.respond, { token: o.token, params: { planId: v.planId }, body: { accept: true } }),
    hidden: (r, v) => expect(r.status).toBe(404),
  },
  [routeKey(api.privacy.exportData)]: {
    run: (o, v) => call(privacy, api.privacy.exportData, { token: o.token }),
    hidden: (r, v) => expect(r.text).not.toContain(v.reportId),
    shown: (r, v) => expect(r.text).toContain(v.reportId),
  },
};

const verifiedRoutes = Object.values(api).flatMap((routes) => Object.values(routes as Record<string, RouteDef>)).filter((d) => d.person === 'verified');
const shapeOf = (s: unknown) => ((s as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});

describe('the contract says, for every patient route that names a person, whether it needs a verified person', () => {
  it('no route names a person without saying', () => {
    const names = (d: RouteDef) => d.path.includes('{patientId}') || 'patientId' in shapeOf(d.query) || 'patientId' in shapeOf(d.body) || 'idNumber' in shapeOf(d.body);
    const silent = Object.values(api)
      .flatMap((routes) => Object.values(routes as Record<string, RouteDef>))
      .filter((d) => Array.isArray(d.access) && d.access.includes('patient') && names(d) && !d.person);
    expect(silent.map(routeKey)).toEqual([]);
  });

  it('every route that needs a verified person has an outsider scenario here', () => {
    expect(verifiedRoutes.map(routeKey).filter((k) => !scenarios[k])).toEqual([]);
    expect(verifiedRoutes.length).toBeGreaterThanOrEqual(20);
  });
});

beforeAll(async () => {
  await ownTable('verified-routes');
  stack = await startPaymentsStack();
  team = await makeCare();
}, 60_000);
afterAll(async () => stack?.close());

/**
 * A fresh person per scenario (one ID number on many accounts is itself limited and flagged),
 * verified on their own family's account so pushes match by ID number and name.
 */
async function victim(withPlan = false): Promise<Victim> {
  const idNo = uniqueIdNumber();
  await addPersonOf(`u_${randomUUID()}`, idNo, 'self', true);
  const body = JSON.stringify(fhirReport({ identifier: `LAB-${randomUUID().slice(0, 8)}`, idNumber: idNo, family: NAME[0], given: NAME.slice(1), issued: '2025-06-08T10:20:00+08:00', values: CBC }));
  const pushed = await call(reports, api.reports.ingest, { rawBody: body, headers: signedHeaders(body) });
  expect(pushed.status, pushed.text).toBe(202);
  const billNo = `B${randomUUID().slice(0, 8)}`;
  const b = await his(api.payments.hisBills, { bills: [{ billNo, idNumber: idNo, patientName: NAME, deptName: '心血管内科', issuedAt: '2025-06-10T09:00:00+08:00', items: [{ code: '110200001', name: '诊查费', category: '诊查', quantity: 1, unitPrice: 1_000, amount: 1_000 }], total: 1_000 }] });
  expect(b.status, b.text).toBe(202);
  const v: Victim = { idNo, reportId: pushed.body.reports[0].reportId, billId: `bill-city-his-${billNo}`, admissionId: await admit(idNo), planId: '' };
  if (!withPlan) return v;
  // A TB plan whose family supervisor is the victim (named on a contracted patient's account).
  const patient = await contracted(team, '赵大明');
  const supervisorEntry = await addPerson(patient.token, NAME, 'spouse', idNo);
  const TB = REGIMEN_PRESETS[0];
  const plan = await call(medication, api.medication.create, {
    token: team.doctor.token,
    body: { patientId: patient.patientId, diagnosis: '继发性肺结核 初治', regimen: { code: TB.code, phases: TB.phases }, doseTimes: ['08:00'], startDate: localDate(), supervisor: { kind: 'family', patientId: supervisorEntry } },
    headers: { 'idempotency-key': key() },
  });
  expect(plan.status, plan.text).toBe(201);
  return { ...v, planId: plan.body.plan.id };
}

async function addPersonOf(userId: string, id: string, relation: 'self' | 'parent', verified: boolean): Promise<Outsider> {
  const token = await tokenFor(['patient'], userId);
  await consentAll(userId);
  const r = await call(patients, api.patients.create, { token, body: { name: NAME, relation, phone: '13900001234', idNumber: id } });
  expect(r.status, r.text).toBe(201);
  if (verified) await verifyAtWindow(userId, r.body.id, id);
  return { userId, token, patientId: r.body.id };
}

describe.each(verifiedRoutes.map((d) => [routeKey(d), d] as const))('%s', (k) => {
  it('an account that typed the ID number gets nothing of the person until it verifies them, then it does', async () => {
    const s = scenarios[k];
    if (!s) throw new Error(`no scenario for ${k}`);
    const v = await victim(s.plan);
    // 本人: a supervision invitation is matched against the account's own (self) entry.
    const outsider = await addPersonOf(`u_${randomUUID()}`, v.idNo, s.plan ? 'self' : 'parent', false);
    (s.hidden ?? notVerified)(await s.run(outsider, v), v);
    await verifyAtWindow(outsider.userId, outsider.patientId, v.idNo);
    (s.shown ?? ok)(await s.run(outsider, v), v);
  });
});

describe('another account never reaches a verified person of mine', () => {
  it('a stranger’s own verified person does not open mine', async () => {
    const mine = await addPersonOf(`u_${randomUUID()}`, uniqueIdNumber(), 'parent', true);
    const stranger = await addPersonOf(`u_${randomUUID()}`, uniqueIdNumber(), 'self', true);
    const r = await call(reports, api.reports.mine, { token: stranger.token, query: { patientId: mine.patientId } });
    expect(r.status).toBe(404);
  });
});
