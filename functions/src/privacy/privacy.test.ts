/**
 * PIPL on the account, through the real handler against DynamoDB Local: the agreement, separate
 * consents (with a provable history), correction requests, export of verified people as FHIR,
 * and account deletion that keeps what the hospital must keep.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { api, CONSENT_PURPOSE_TEXT, PRIVACY_POLICY_VERSION, RETAINED_AFTER_DELETION, USER_AGREEMENT_VERSION, type ConsentPurpose } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { idNumber } from '#test/fixtures';
import { HttpError } from '#lib/errors';
import { issueRefreshToken, REFRESH_TTL_SECONDS } from '#lib/tokens';
import { handler as auth } from '../auth/handler';
import { createSession, findOrCreateUserByIdentity, getUser, rememberPlatformId } from '../auth/store';
import { getSchedule } from '../catalog/schedule-store';
import { book, getAppointment, transition, type AppointmentItem } from '../booking/store';
import { makeCatalog, makeSchedule } from '../booking/test-fixtures';
import { handler as patients } from '../patients/handler';
import { setVerification } from '../patients/store';
import { handler as records } from '../records/handler';
import { handler } from './handler';
import { consentHistory, grantConsents, hasConsent, requireConsent } from './service';
import { listSubmittedCorrections } from './store';

const { Fhir } = createRequire(import.meta.url)('fhir') as { Fhir: new () => { validate(o: unknown, opts: object): { valid: boolean; messages: { location: string; message: string; severity: string }[] } } };
const fhir = new Fhir();

const key = () => `k-${randomUUID()}`;

/** A fresh patient account that has agreed to ID numbers being processed (adding people needs it). */
async function account() {
  const userId = `u_${randomUUID()}`;
  await grantConsents(userId, ['id_number']);
  return { userId, token: await tokenFor(['patient'], userId) };
}

/** A person added through the patients route. */
async function person(a: { token: string }, name = '张建国') {
  const r = await call(patients, api.patients.create, { token: a.token, body: { name, relation: 'self', phone: '13800138000', idNumber: idNumber() }, headers: { 'idempotency-key': key() } });
  if (r.status !== 201) throw new Error(`could not add a person: ${r.status} ${r.text}`);
  return r.body.id as string;
}

/** Staff checked the ID card at a window (fixture: the patients store's own verification write). */
async function verify(userId: string, patientId: string) {
  const p = await setVerification(userId, patientId, { state: 'verified', method: 'in_person', at: new Date().toISOString(), by: 'nurse-test', evidenceRef: 'window-1', orgId: 'org-test', place: '门诊一楼' });
  if (p?.verification.state !== 'verified') throw new Error('could not verify');
}

/** A confirmed appointment for the person (the booking store's own write, as booking tests do). */
async function appointmentFor(userId: string, patientId: string): Promise<AppointmentItem> {
  const s = (await getSchedule((await makeSchedule(await makeCatalog(), { capacity: 4 })).id))!.schedule;
  const a: AppointmentItem = {
    id: `ap-${randomUUID()}`, userId, patientId, patientName: '张建国', patientRelation: 'self', scheduleId: s.id, shard: 0,
    date: s.date, session: s.session, startsAt: s.startsAt, endsAt: s.endsAt, cancelCutoffAt: s.cancelCutoffAt, orgId: s.orgId, orgName: s.orgName,
    deptId: s.deptId, deptName: s.deptName, doctorId: s.doctorId, doctorName: s.doctorName, doctorTitle: s.doctorTitle, fee: 0, status: 'confirmed',
    checkInCode: '123456', createdAt: s.createdAt, updatedAt: s.createdAt,
  };
  expect(await book(a)).toBe('booked');
  return a;
}

const get = (token: string) => call(handler, api.privacy.get, { token });
const consent = (token: string, purpose: string, granted: boolean) => call(handler, api.privacy.consent, { token, params: { purpose }, body: { granted } });
const correction = (token: string, body: unknown, headers: Record<string, string> = {}) => call(handler, api.privacy.requestCorrection, { token, body, headers });
const exportData = (token: string) => call(handler, api.privacy.exportData, { token });
const deleteAccount = (token: string) => call(handler, api.privacy.deleteAccount, { token, body: { confirm: '注销' } });

describe('the user agreement and privacy policy', () => {
  it('a new account has accepted nothing; accepting the current versions records them and when', async () => {
    const a = await account();
    const before = await get(a.token);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ current: { agreement: USER_AGREEMENT_VERSION, privacy: PRIVACY_POLICY_VERSION }, accepted: null });

    const r = await call(handler, api.privacy.accept, { token: a.token, body: { agreementVersion: USER_AGREEMENT_VERSION, privacyVersion: PRIVACY_POLICY_VERSION } });
    expect(r.status).toBe(200);
    expect(r.body.accepted).toMatchObject({ agreement: USER_AGREEMENT_VERSION, privacy: PRIVACY_POLICY_VERSION });
    expect(Date.parse(r.body.accepted.at)).toBeGreaterThan(Date.now() - 60_000);

    // Accepting again keeps the first time.
    const again = await call(handler, api.privacy.accept, { token: a.token, body: { agreementVersion: USER_AGREEMENT_VERSION, privacyVersion: PRIVACY_POLICY_VERSION } });
    expect(again.body.accepted.at).toBe(r.body.accepted.at);
  });

  it('an old version (a page left open before the text changed) is refused with VERSION_OUTDATED', async () => {
    const a = await account();
    for (const body of [
      { agreementVersion: '2020-01-01', privacyVersion: PRIVACY_POLICY_VERSION },
      { agreementVersion: USER_AGREEMENT_VERSION, privacyVersion: '2020-01-01' },
    ]) {
      const r = await call(handler, api.privacy.accept, { token: a.token, body });
      expect([r.status, r.body.error.code]).toEqual([409, 'VERSION_OUTDATED']);
    }
    expect((await get(a.token)).body.accepted).toBeNull();
  });
});

describe('separate consents for sensitive information', () => {
  it('grant, then revoke: the current state changes and each change stays in the history', async () => {
    const a = await account();
    const granted = await consent(a.token, 'health_data', true);
    expect(granted.status).toBe(200);
    expect(granted.body.consents).toEqual(expect.arrayContaining([expect.objectContaining({ purpose: 'health_data', granted: true })]));
    expect(await hasConsent(a.userId, 'health_data')).toBe(true);

    // Granting what is granted is no change.
    await consent(a.token, 'health_data', true);
    const revoked = await consent(a.token, 'health_data', false);
    expect(revoked.body.consents.find((c: { purpose: string }) => c.purpose === 'health_data')).toMatchObject({ granted: false });
    expect(await hasConsent(a.userId, 'health_data')).toBe(false);

    const history = (await consentHistory(a.userId)).filter((h) => h.purpose === 'health_data');
    expect(history.map((h) => [h.userId, h.purpose, h.granted])).toEqual([
      [a.userId, 'health_data', true],
      [a.userId, 'health_data', false],
    ]);
    expect(history[0].at <= history[1].at).toBe(true);
  });

  it('requireConsent refuses with 403 CONSENT_REQUIRED naming the purpose, and passes once granted', async () => {
    const a = await account();
    const err = await requireConsent(a.userId, 'precise_location').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    const e = err as HttpError;
    expect([e.status, e.code, e.extra]).toEqual([403, 'CONSENT_REQUIRED', { purpose: 'precise_location' }]);
    expect(e.message).toContain(CONSENT_PURPOSE_TEXT.precise_location.title);
    await grantConsents(a.userId, ['precise_location']);
    await expect(requireConsent(a.userId, 'precise_location')).resolves.toBeUndefined();
  });

  it('a route refusing for a missing consent carries error.purpose in the body', async () => {
    // Adding a person needs the ID-number consent (the patients feature asks for it).
    const userId = `u_${randomUUID()}`;
    const token = await tokenFor(['patient'], userId);
    const r = await call(patients, api.patients.create, { token, body: { name: '李四', relation: 'self', phone: '13800138000', idNumber: idNumber() }, headers: { 'idempotency-key': key() } });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', purpose: 'id_number' });
    expect(r.body.error.message).toContain(CONSENT_PURPOSE_TEXT.id_number.title);
  });

  it('an unknown purpose is a 400 naming params.purpose', async () => {
    const a = await account();
    for (const purpose of ['marketing', 'HEALTH_DATA', 'x'.repeat(3000)]) {
      const r = await consent(a.token, purpose, true);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['params.purpose']);
    }
    expect((await get(a.token)).body.consents.map((c: { purpose: string }) => c.purpose)).toEqual(['id_number']);
  });
});

describe('correction requests', () => {
  it('are filed for my own people, listed newest first, and reach the staff worklist', async () => {
    const a = await account();
    const p1 = await person(a, '张建国');
    const p2 = await person(a, '王秀英');
    const first = await correction(a.token, { patientId: p1, field: 'name', detail: '姓名应为张建囯' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ patientId: p1, field: 'name', detail: '姓名应为张建囯', status: 'submitted' });
    const second = await correction(a.token, { patientId: p2, field: 'report', detail: '6月8日血常规不是本人的' });
    expect(second.status).toBe(201);

    const list = await call(handler, api.privacy.corrections, { token: a.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([second.body.id, first.body.id]);

    const worklist = await listSubmittedCorrections(1000);
    const mine = worklist.filter((c) => c.userId === a.userId);
    expect(mine.map((c) => c.id)).toEqual([first.body.id, second.body.id]);
    expect(mine[0]).toMatchObject({ patientId: p1, field: 'name', status: 'submitted' });
  });

  it('the same Idempotency-Key files one request', async () => {
    const a = await account();
    const p = await person(a);
    const k = key();
    const body = { patientId: p, field: 'phone', detail: '手机号已更换' };
    const r1 = await correction(a.token, body, { 'idempotency-key': k });
    const r2 = await correction(a.token, body, { 'idempotency-key': k });
    expect([r1.status, r2.status]).toEqual([201, 201]);
    expect(r2.body.id).toBe(r1.body.id);
    expect((await call(handler, api.privacy.corrections, { token: a.token })).body.items).toHaveLength(1);
  });

  it('another account’s person is 404 and nothing is filed', async () => {
    const a = await account();
    const b = await account();
    const theirs = await person(b);
    const r = await correction(a.token, { patientId: theirs, field: 'name', detail: '想改别人的名字' });
    expect([r.status, r.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const missing = await correction(a.token, { patientId: 'p-does-not-exist', field: 'name', detail: '不存在的人' });
    expect(missing.status).toBe(404);
    expect((await call(handler, api.privacy.corrections, { token: a.token })).body.items).toEqual([]);
  });
});

describe('exporting my data (FHIR R4)', () => {
  it('includes only my verified people, as a collection that validates', async () => {
    const a = await account();
    await grantConsents(a.userId, ['health_data']);
    const verified = await person(a, '张建国');
    const unverified = await person(a, '王秀英');
    await verify(a.userId, verified);
    await call(records, api.records.putRecord, {
      token: a.token,
      params: { patientId: verified },
      body: { bloodType: 'A', rh: 'positive', allergies: [{ substance: '青霉素', reaction: '皮疹', severity: 'severe' }], conditions: [{ name: '高血压', since: '2015' }], medications: [], emergencyContacts: [] },
    });
    await call(records, api.records.putRecord, { token: a.token, params: { patientId: unverified }, body: { conditions: [{ name: '糖尿病' }] } });
    const appt = await appointmentFor(a.userId, verified);
    await appointmentFor(a.userId, unverified);

    const r = await exportData(a.token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const result = fhir.validate(r.body, { errorOnUnexpected: true });
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);

    const resources = r.body.entry.map((e: { resource: Record<string, unknown> }) => e.resource);
    const patientsIn = resources.filter((x: { resourceType: string }) => x.resourceType === 'Patient');
    expect(patientsIn.map((x: { id: string }) => x.id)).toEqual([verified]);
    expect(resources.map((x: { resourceType: string }) => x.resourceType)).toEqual(expect.arrayContaining(['AllergyIntolerance', 'Condition', 'Appointment']));
    expect(resources.filter((x: { resourceType: string }) => x.resourceType === 'Appointment').map((x: { id: string }) => x.id)).toEqual([appt.id]);
    // Nothing of the unverified person, not even their name.
    expect(r.text).not.toContain(unverified);
    expect(r.text).not.toContain('王秀英');
    expect(r.text).not.toContain('糖尿病');
    expect(new Set(r.body.entry.map((e: { fullUrl: string }) => e.fullUrl)).size).toBe(r.body.entry.length);
  });

  it('with no verified person the bundle is empty; with one, the health-data consent is needed', async () => {
    const a = await account();
    const p = await person(a);
    const empty = await exportData(a.token);
    expect(empty.status).toBe(200);
    expect(empty.body.entry).toEqual([]);
    await verify(a.userId, p);
    const refused = await exportData(a.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', purpose: 'health_data' });
  });
});

describe('deleting my account', () => {
  it('removes the login too: the next WeChat login with the same openid starts a new, empty account', async () => {
    const openid = `o${randomUUID().replace(/-/g, '').slice(0, 27)}`;
    const before = await findOrCreateUserByIdentity('wechat', openid, '微信用户');
    await rememberPlatformId(before.userId, 'wechat', openid);
    const token = await tokenFor(['patient'], before.userId);
    expect((await deleteAccount(token)).status).toBe(200);
    expect(await getUser(before.userId)).toBeUndefined();
    const after = await findOrCreateUserByIdentity('wechat', openid, '微信用户');
    expect(after.userId).not.toBe(before.userId);
  });

  it('is refused while a person has an active appointment, before anything is removed', async () => {
    const a = await account();
    const p = await person(a, '张建国');
    await appointmentFor(a.userId, p);
    const r = await deleteAccount(a.token);
    expect([r.status, r.body.error.code]).toEqual([409, 'ACCOUNT_HAS_APPOINTMENTS']);
    expect(r.body.error.message).toContain('张建国');
    expect((await call(patients, api.patients.list, { token: a.token })).body.items).toHaveLength(1);
    expect(await hasConsent(a.userId, 'id_number')).toBe(true);
  });

  it('unlinks my people, removes consents, agreement, requests and sessions, and keeps the appointments', async () => {
    const a = await account();
    await call(handler, api.privacy.accept, { token: a.token, body: { agreementVersion: USER_AGREEMENT_VERSION, privacyVersion: PRIVACY_POLICY_VERSION } });
    await grantConsents(a.userId, ['health_data']);
    const p1 = await person(a, '张建国');
    await person(a, '王秀英');
    await correction(a.token, { patientId: p1, field: 'other', detail: '请核对住址' });
    const appt = await appointmentFor(a.userId, p1);
    expect(await transition(appt, { event: 'cancel', set: { cancelledAt: new Date().toISOString() } }, new Date().toISOString())).toBe(true);
    const refreshToken = await issueRefreshToken(a.userId, await createSession(a.userId, REFRESH_TTL_SECONDS));

    const r = await deleteAccount(a.token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ deleted: true, peopleUnlinked: 2, kept: RETAINED_AFTER_DELETION.map((k) => ({ ...k })) });

    // The hospital's record stays, filed by its own id.
    expect(await getAppointment(appt.id)).toMatchObject({ id: appt.id, patientId: p1, status: 'cancelled' });
    // No refresh works again; the access token in hand (valid until it expires) sees an empty account.
    const refreshed = await call(auth, api.auth.refresh, { body: { refreshToken } });
    expect(refreshed.status).toBe(401);
    expect((await call(patients, api.patients.list, { token: a.token })).body.items).toEqual([]);
    expect((await get(a.token)).body).toMatchObject({ accepted: null, consents: [] });
    expect((await call(handler, api.privacy.corrections, { token: a.token })).body.items).toEqual([]);
    expect((await listSubmittedCorrections(1000)).filter((c) => c.userId === a.userId)).toEqual([]);
    expect(await consentHistory(a.userId)).toEqual([]);

    // A second call is harmless.
    const again = await deleteAccount(a.token);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ deleted: true, peopleUnlinked: 0 });
  });

  it('needs the word 注销', async () => {
    const a = await account();
    await person(a);
    const r = await call(handler, api.privacy.deleteAccount, { token: a.token, body: { confirm: 'yes' } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.confirm']);
    expect((await call(patients, api.patients.list, { token: a.token })).body.items).toHaveLength(1);
  });
});

describe('another account gets nothing of mine', () => {
  it('on every privacy route', async () => {
    const me = await account();
    await grantConsents(me.userId, ['health_data', 'precise_location'] satisfies ConsentPurpose[]);
    await call(handler, api.privacy.accept, { token: me.token, body: { agreementVersion: USER_AGREEMENT_VERSION, privacyVersion: PRIVACY_POLICY_VERSION } });
    const mine = await person(me, '张建国');
    await verify(me.userId, mine);
    await correction(me.token, { patientId: mine, field: 'name', detail: '姓名有误' });

    const other = await account();
    await grantConsents(other.userId, ['health_data']);
    expect((await get(other.token)).body).toMatchObject({ accepted: null, consents: [{ purpose: 'health_data', granted: true }, { purpose: 'id_number', granted: true }] });
    expect((await call(handler, api.privacy.corrections, { token: other.token })).body.items).toEqual([]);
    expect((await correction(other.token, { patientId: mine, field: 'name', detail: '改别人的' })).status).toBe(404);
    const exported = await exportData(other.token);
    expect([exported.status, exported.body.entry]).toEqual([200, []]);
    expect((await consent(other.token, 'precise_location', false)).status).toBe(200);
    expect(await hasConsent(me.userId, 'precise_location')).toBe(true);
    expect((await deleteAccount(other.token)).body.peopleUnlinked).toBe(0);

    // Mine is all still there.
    expect((await call(patients, api.patients.list, { token: me.token })).body.items.map((p: { id: string }) => p.id)).toEqual([mine]);
    expect((await get(me.token)).body.accepted).not.toBeNull();
    expect((await call(handler, api.privacy.corrections, { token: me.token })).body.items).toHaveLength(1);
    expect((await exportData(me.token)).body.entry.some((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient')).toBe(true);
  });
});

describe('malformed input', () => {
  const big = 'x'.repeat(3 * 1024);
  const bodies = ['false', '0', '"注销"', 'null', '[]', '{', JSON.stringify({ patientId: big, field: 'name', detail: big }), JSON.stringify({ agreementVersion: big, privacyVersion: big }), JSON.stringify({ granted: 'yes' }), JSON.stringify({ confirm: big })];

  it('every route with a body answers 4xx, never 5xx, in our error format', async () => {
    const a = await account();
    const p = await person(a);
    const routes = [
      [api.privacy.accept, {}],
      [api.privacy.consent, { purpose: 'health_data' }],
      [api.privacy.requestCorrection, {}],
      [api.privacy.deleteAccount, {}],
    ] as const;
    for (const [route, params] of routes) {
      for (const rawBody of bodies) {
        const r = await call(handler, route, { token: a.token, params, rawBody });
        expect(r.status, `${route.path} ${rawBody.slice(0, 20)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${route.path} ${rawBody.slice(0, 20)}`).toBeLessThan(500);
        expect(typeof r.body.error.code).toBe('string');
      }
    }
    // A 3 KB Idempotency-Key and a 3 KB patient id.
    const badKey = await correction(a.token, { patientId: p, field: 'name', detail: '姓名有误' }, { 'idempotency-key': big });
    expect(badKey.status).toBe(400);
    expect((await correction(a.token, { patientId: big, field: 'name', detail: '姓名有误' })).status).toBe(400);
    // Still the one person, nothing deleted, nothing filed.
    expect((await call(patients, api.patients.list, { token: a.token })).body.items).toHaveLength(1);
    expect((await call(handler, api.privacy.corrections, { token: a.token })).body.items).toEqual([]);
  });
});
