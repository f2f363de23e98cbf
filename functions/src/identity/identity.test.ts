/**
 * 实名认证 through the real identity handler, against the local Tencent Cloud sandbox (FaceID, SMS)
 * and DynamoDB Local: which ways an account may use for a person, each way end to end, the limits
 * that stop guessing, and what is (not) stored or logged.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, idCardCheckChar, maskIdCard, maskPhone, type RouteDef } from '@hospital/shared';
import { config } from '#lib/config';
import { logger } from '#lib/logger';
import { db, table } from '#lib/table';
import { idNumber } from '#test/fixtures';
import { call, tokenFor } from '#test/http';
import { addPerson, consentAll } from '#test/people';
import { startSandboxes } from '#test/sandboxes';
import { handler as patients } from '../patients/handler';
import { personKey } from '../patients/store';
import { handler as records } from '../records/handler';
import { listPlatformAudit } from '../records/store';
import { handler } from './handler';
import { recordPhone } from './store';

let sb: Awaited<ReturnType<typeof startSandboxes>>;
beforeAll(async () => {
  sb = await startSandboxes();
});
afterAll(() => sb?.close());

// ── people and accounts ──

/** A random mainland mobile number, so no other test file's SMS limits touch ours. */
const mobile = () => `1${3 + randomInt(7)}${String(randomInt(1e9)).padStart(9, '0')}`;

/** A valid ID number (Dongcheng, Beijing) of someone aged between min and max years today. */
function idNumberAged(minYears: number, maxYears: number): string {
  const days = Math.floor(minYears * 365.25 + 30 + Math.random() * ((maxYears - minYears) * 365.25 - 60));
  const born = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110101${born}${String(randomInt(1000)).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}
/** Under 14: only a guardian or staff may verify them (PIPL Art 31). */
const childIdNumber = () => idNumberAged(2, 13);
/** 15–16: verifies themself, but is no one's guardian. */
const teenIdNumber = () => idNumberAged(15, 17);

async function account() {
  const userId = `u-${randomUUID()}`;
  await consentAll(userId);
  return { userId, token: await tokenFor(['patient'], userId) };
}
type Account = Awaited<ReturnType<typeof account>>;

type Relation = 'self' | 'spouse' | 'child' | 'parent' | 'other';
async function person(a: Account, o: { name?: string; relation?: Relation; idNumber?: string; phone?: string; verified?: boolean } = {}) {
  const id = o.idNumber ?? idNumber();
  const phone = o.phone ?? mobile();
  const view = await addPerson(a.userId, { name: o.name ?? '张建国', relation: o.relation ?? 'self', phone, idNumber: id }, { verified: o.verified ?? false });
  return { patientId: view.id, idNumber: id, phone };
}

async function nurse(o: { orgId?: string | null; name?: string } = {}) {
  const userId = `u-nurse-${randomUUID()}`;
  const orgId = o.orgId === null ? undefined : (o.orgId ?? `org-${randomUUID().slice(0, 8)}`);
  const name = o.name ?? '窗口护士王芳';
  return { userId, orgId, name, token: await tokenFor(['nurse'], userId, orgId, name) };
}

// ── calls ──

const statusOf = (a: Account, patientId: string) => call(handler, api.identity.status, { token: a.token, params: { patientId } });
const startFace = (a: Account, patientId: string, body: Record<string, unknown> = {}) => call(handler, api.identity.startFace, { token: a.token, params: { patientId }, body });
const confirmFace = (a: Account, patientId: string, bizToken: string) => call(handler, api.identity.confirmFace, { token: a.token, params: { patientId }, body: { bizToken } });
const sendSms = (a: Account, patientId: string) => call(handler, api.identity.sendSms, { token: a.token, params: { patientId } });
const confirmSms = (a: Account, patientId: string, code: string) => call(handler, api.identity.confirmSms, { token: a.token, params: { patientId }, body: { code } });
const guardian = (a: Account, patientId: string, body: Record<string, unknown>) => call(handler, api.identity.guardian, { token: a.token, params: { patientId }, body });
const personCode = (a: Account, patientId: string) => call(handler, api.identity.personCode, { token: a.token, params: { patientId } });
const staffLookup = (token: string, code: string) => call(handler, api.identity.staffLookup, { token, params: { code } });
const staffVerify = (token: string, body: Record<string, unknown>) => call(handler, api.identity.staffVerify, { token, body });

const outcome = (r: { status: number; body: any }) => [r.status, r.body?.error?.code];
const fieldPaths = (r: { body: any }) => (r.body?.error?.fields ?? []).map((f: { path: string }) => f.path);
const retryAfter = (r: { headers: Record<string, string> }) => Number(r.headers['retry-after']);

async function verificationOf(a: Account, patientId: string) {
  const s = await statusOf(a, patientId);
  expect(s.status).toBe(200);
  return s.body.verification;
}

/** Messages the sandbox "delivered" to a number, oldest first. */
const inbox = (phone: string) => sb.tencent.sms.filter((m) => m.phone === `+86${phone}`);
const otherCode = (code: string) => String((Number(code) + 1) % 1e6).padStart(6, '0');

// ── the table, read only to assert what is stored (and, marked, to age a code) ──

const getItem = async (PK: string, SK: string) => (await db.send(new GetCommand({ TableName: table(), Key: { PK, SK }, ConsistentRead: true }))).Item;
const profileItem = (patientId: string) => getItem(`PATIENT#${patientId}`, 'PROFILE');

/** Face sessions written for a person (a scan: sessions are keyed by BizToken only). */
async function faceSessionsFor(patientId: string) {
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({ TableName: table(), FilterExpression: 'begins_with(PK, :f) AND patientId = :p', ExpressionAttributeValues: { ':f': 'IDV#FACE#', ':p': patientId }, ExclusiveStartKey: start }),
    );
    found.push(...((out.Items ?? []) as Record<string, unknown>[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

/** Test fixture: moves an item's expiresAt into the past (what five or ten minutes would do). */
const expire = (PK: string, SK: string) =>
  db.send(new UpdateCommand({ TableName: table(), Key: { PK, SK }, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 } }));

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Rate limits count in fixed windows: a test that fills one must not straddle its edge. */
async function clearOfWindowEdge(windowSeconds: number, needSeconds = 10) {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds);
  if (left < needSeconds) await new Promise((r) => setTimeout(r, left * 1000 + 250));
}

// ─────────────────────────────────────────────────────────────────────────────

describe('实名认证 status: how my account can verify a person on it', () => {
  it('an unverified adult with no phone on record: face or in person, no SMS', async () => {
    const a = await account();
    const p = await person(a);
    const s = await statusOf(a, p.patientId);
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ patientId: p.patientId, verification: { state: 'unverified' }, ways: ['face', 'in_person'] });
  });

  it("an adult whose phone is on the hospital's index: face, SMS to that phone (shown masked) or in person", async () => {
    const a = await account();
    const p = await person(a);
    const onRecord = mobile();
    await recordPhone(personKey(p.idNumber), onRecord, 'his');
    const s = await statusOf(a, p.patientId);
    expect(s.body).toEqual({ patientId: p.patientId, verification: { state: 'unverified' }, ways: ['face', 'sms', 'in_person'], smsPhoneMasked: maskPhone(onRecord) });
    expect(s.text).not.toContain(onRecord);
    expect(s.text).not.toContain(p.idNumber);
  });

  it("a child under 14: a guardian or in person, offering the account's verified adults as guardians", async () => {
    const a = await account();
    const mum = await person(a, { name: '李秀英', relation: 'self', verified: true });
    await person(a, { name: '王强', relation: 'spouse' }); // unverified: not a guardian yet
    await person(a, { name: '王小红', relation: 'child', idNumber: teenIdNumber(), verified: true }); // verified, but 16
    const kid = await person(a, { name: '王小明', relation: 'child', idNumber: childIdNumber() });
    await recordPhone(personKey(kid.idNumber), mobile(), 'his'); // a phone on record does not open SMS for a child
    const s = await statusOf(a, kid.patientId);
    expect(s.body).toEqual({ patientId: kid.patientId, verification: { state: 'unverified' }, ways: ['guardian', 'in_person'], guardians: [{ patientId: mum.patientId, name: '李秀英' }] });
  });

  it("another account's person is not found (404) on every identity route, so ids cannot be probed", async () => {
    const owner = await account();
    const stranger = await account();
    const p = await person(owner);
    const params = { patientId: p.patientId };
    const tries = [
      call(handler, api.identity.status, { token: stranger.token, params }),
      call(handler, api.identity.startFace, { token: stranger.token, params, body: {} }),
      call(handler, api.identity.confirmFace, { token: stranger.token, params, body: { bizToken: randomUUID().toUpperCase() } }),
      call(handler, api.identity.sendSms, { token: stranger.token, params }),
      call(handler, api.identity.confirmSms, { token: stranger.token, params, body: { code: '123456' } }),
      call(handler, api.identity.guardian, { token: stranger.token, params, body: { guardianPatientId: p.patientId, relationship: 'parent', consent: true } }),
      call(handler, api.identity.personCode, { token: stranger.token, params }),
    ];
    for (const r of await Promise.all(tries)) expect(outcome(r)).toEqual([404, 'NOT_FOUND']);
    expect(await verificationOf(owner, p.patientId)).toEqual({ state: 'unverified' });
  });
});

describe('人脸识别 (Tencent Cloud FaceID)', () => {
  it('start: the page to open is the FaceID sandbox, valid as long as the BizToken', async () => {
    const a = await account();
    const p = await person(a);
    const s = await startFace(a, p.patientId);
    expect(s.status).toBe(201);
    expect(s.body.url).toBe(`${sb.tencent.url}/faceid/verify?token=${s.body.bizToken}`);
    const ttl = Date.parse(s.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(7100_000);
    expect(ttl).toBeLessThanOrEqual(7200_000);
    // The page itself is the sandbox's, showing the person masked.
    const page = await fetch(s.body.url);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(p.idNumber);
  });

  it('pass: the person is verified by face, the evidence is the BizToken, and my person list shows it', async () => {
    const a = await account();
    const p = await person(a, { name: '赵丽华' });
    const { bizToken } = (await startFace(a, p.patientId)).body;
    sb.tencent.setFaceOutcome(bizToken, 'pass');
    const r = await confirmFace(a, p.patientId, bizToken);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: p.patientId, name: '赵丽华', idNumberMasked: maskIdCard(p.idNumber), verification: { state: 'verified', method: 'face', by: a.userId } });
    expect(r.body.verification.evidenceRef).toContain(bizToken);
    expect(r.text).not.toContain(p.idNumber);
    const list = await call(patients, api.patients.list, { token: a.token });
    expect(list.body.items.find((i: { id: string }) => i.id === p.patientId)).toMatchObject({ verification: { state: 'verified', method: 'face', evidenceRef: expect.stringContaining(bizToken) } });
    expect((await statusOf(a, p.patientId)).body.ways).toEqual([]);
    expect((await profileItem(p.patientId))?.verification).toMatchObject({ state: 'verified', method: 'face' });
  });

  it.each([
    ['fail (liveness or photo comparison): 409 FACE_FAIL and the person stays unverified', 'fail', 'FACE_FAIL'],
    ['FaceID verified someone else (another name and ID number): 409 FACE_MISMATCH, still unverified', 'mismatch', 'FACE_MISMATCH'],
  ] as const)('%s', async (_name, result, code) => {
    const a = await account();
    const p = await person(a);
    const { bizToken } = (await startFace(a, p.patientId)).body;
    sb.tencent.setFaceOutcome(bizToken, result);
    expect(outcome(await confirmFace(a, p.patientId, bizToken))).toEqual([409, code]);
    expect(await verificationOf(a, p.patientId)).toEqual({ state: 'unverified' });
  });

  it('not finished yet (or left to time out): 409 FACE_PENDING, and the BizToken still works once finished', async () => {
    const a = await account();
    const p = await person(a);
    const { bizToken } = (await startFace(a, p.patientId)).body;
    expect(outcome(await confirmFace(a, p.patientId, bizToken))).toEqual([409, 'FACE_PENDING']);
    const other = (await startFace(a, p.patientId)).body.bizToken;
    sb.tencent.setFaceOutcome(other, 'timeout');
    expect(outcome(await confirmFace(a, p.patientId, other))).toEqual([409, 'FACE_PENDING']);
    expect(await verificationOf(a, p.patientId)).toEqual({ state: 'unverified' });
    sb.tencent.setFaceOutcome(bizToken, 'pass');
    expect((await confirmFace(a, p.patientId, bizToken)).status).toBe(200);
  });

  it('a BizToken proves one person once: replayed on another person or again, it is refused and changes no one', async () => {
    const a = await account();
    const first = await person(a, { name: '孙志强' });
    const second = await person(a, { name: '孙志强', relation: 'other' }); // same name, another ID number
    const { bizToken } = (await startFace(a, first.patientId)).body;
    sb.tencent.setFaceOutcome(bizToken, 'pass');
    expect((await confirmFace(a, first.patientId, bizToken)).status).toBe(200);
    // On a second unverified person of the same account: not this person's BizToken.
    expect(outcome(await confirmFace(a, second.patientId, bizToken))).toEqual([404, 'NOT_FOUND']);
    expect(await verificationOf(a, second.patientId)).toEqual({ state: 'unverified' });
    // On the same person again: used.
    expect(outcome(await confirmFace(a, first.patientId, bizToken))).toEqual([409, 'FACE_TOKEN_USED']);
    expect((await profileItem(second.patientId))?.verification).toEqual({ state: 'unverified' });
  });

  it("a BizToken made on another account is not found on mine, even for the same person, and mine stays unverified", async () => {
    const owner = await account();
    const thief = await account();
    const id = idNumber();
    const theirs = await person(owner, { name: '周敏', idNumber: id });
    const mine = await person(thief, { name: '周敏', idNumber: id });
    const { bizToken } = (await startFace(owner, theirs.patientId)).body;
    sb.tencent.setFaceOutcome(bizToken, 'pass');
    expect(outcome(await confirmFace(thief, mine.patientId, bizToken))).toEqual([404, 'NOT_FOUND']);
    expect(await verificationOf(thief, mine.patientId)).toEqual({ state: 'unverified' });
    // The attempt did not use it up: the account that started it still can.
    expect((await confirmFace(owner, theirs.patientId, bizToken)).body.verification).toMatchObject({ state: 'verified', method: 'face' });
    expect(outcome(await confirmFace(thief, mine.patientId, bizToken))).toEqual([404, 'NOT_FOUND']);
    expect(await verificationOf(thief, mine.patientId)).toEqual({ state: 'unverified' });
  });

  it('a redirectUrl outside our H5 app: 400 naming body.redirectUrl, and no session is started', async () => {
    const a = await account();
    const p = await person(a);
    for (const redirectUrl of ['https://evil.example.com/#/packages/identity/pages/verify/index', `${config.h5Origin}.evil.example/`, `${config.h5Origin}@evil.example/`, 'javascript:alert(1)']) {
      const r = await startFace(a, p.patientId, { redirectUrl });
      expect(outcome(r), redirectUrl).toEqual([400, 'VALIDATION_FAILED']);
      expect(fieldPaths(r)).toEqual(['body.redirectUrl']);
    }
    expect(await faceSessionsFor(p.patientId)).toEqual([]);
    const ours = await startFace(a, p.patientId, { redirectUrl: `${config.h5Origin}/#/packages/identity/pages/verify/index?patientId=${p.patientId}` });
    expect(ours.status).toBe(201);
  });

  it('a child cannot verify by face: 409 GUARDIAN_REQUIRED', async () => {
    const a = await account();
    const kid = await person(a, { name: '王小明', relation: 'child', idNumber: childIdNumber() });
    expect(outcome(await startFace(a, kid.patientId))).toEqual([409, 'GUARDIAN_REQUIRED']);
    expect(await faceSessionsFor(kid.patientId)).toEqual([]);
  });

  it('FaceID slower than TENCENTCLOUD_TIMEOUT_MS: 503 UPSTREAM_UNAVAILABLE; no session, no verification, nothing used up', async () => {
    const a = await account();
    const p = await person(a);
    const started = (await startFace(a, p.patientId)).body.bizToken;
    sb.tencent.setFaceOutcome(started, 'pass');
    const before = process.env.TENCENTCLOUD_TIMEOUT_MS;
    process.env.TENCENTCLOUD_TIMEOUT_MS = '200';
    sb.tencent.setDelay(1000);
    try {
      expect(outcome(await startFace(a, p.patientId))).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
      expect(outcome(await confirmFace(a, p.patientId, started))).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    } finally {
      sb.tencent.setDelay(0);
      if (before === undefined) delete process.env.TENCENTCLOUD_TIMEOUT_MS;
      else process.env.TENCENTCLOUD_TIMEOUT_MS = before;
    }
    // Only the session started before the timeout exists, and it is not used.
    const sessions = await faceSessionsFor(p.patientId);
    expect(sessions.map((s) => [s.bizToken, s.usedAt])).toEqual([[started, undefined]]);
    expect((await profileItem(p.patientId))?.verification).toEqual({ state: 'unverified' });
    expect((await confirmFace(a, p.patientId, started)).body.verification).toMatchObject({ state: 'verified', method: 'face' });
  });
});

describe('短信验证码 to the phone on record', () => {
  it('no phone on record for the person: 409 NO_PHONE_ON_RECORD and no message is sent', async () => {
    const a = await account();
    const p = await person(a);
    expect(outcome(await sendSms(a, p.patientId))).toEqual([409, 'NO_PHONE_ON_RECORD']);
    expect(inbox(p.phone)).toEqual([]);
  });

  it('the code goes to the phone on record, never the phone my account typed; the right code verifies by SMS', async () => {
    const a = await account();
    const typed = mobile();
    const onRecord = mobile();
    const p = await person(a, { phone: typed });
    await recordPhone(personKey(p.idNumber), onRecord, 'his');
    const sent = await sendSms(a, p.patientId);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ phoneMasked: maskPhone(onRecord) });
    expect(Date.parse(sent.body.expiresAt) - Date.now()).toBeGreaterThan(290_000);
    expect(Date.parse(sent.body.resendAfter) - Date.now()).toBeGreaterThan(50_000);
    expect(sent.text).not.toContain(onRecord);
    const [msg, ...more] = inbox(onRecord);
    expect(more).toEqual([]);
    expect(msg.params).toEqual([expect.stringMatching(/^\d{6}$/), '5']);
    expect(sb.tencent.sms.some((m) => m.phone.endsWith(typed))).toBe(false);
    // Stored as a keyed digest: the code itself is nowhere in the item.
    const stored = await getItem(`IDV#SMS#${p.patientId}`, 'CODE');
    expect(stored).toMatchObject({ attempts: 0, serialNo: msg.serialNo });
    expect(JSON.stringify(stored)).not.toContain(msg.params[0]);

    const ok = await confirmSms(a, p.patientId, msg.params[0]);
    expect(ok.status).toBe(200);
    expect(ok.body.verification).toMatchObject({ state: 'verified', method: 'sms', by: a.userId, evidenceRef: `sms:${msg.serialNo}` });
    // Used once: the code is gone, and the same code again changes nothing.
    expect(await getItem(`IDV#SMS#${p.patientId}`, 'CODE')).toBeUndefined();
    expect(outcome(await confirmSms(a, p.patientId, msg.params[0]))).toEqual([409, 'ALREADY_VERIFIED']);
  });

  it('a code is used once: of several confirmations with it at the same moment, exactly one verifies', async () => {
    const a = await account();
    const p = await person(a);
    const onRecord = mobile();
    await recordPhone(personKey(p.idNumber), onRecord, 'his');
    expect((await sendSms(a, p.patientId)).status).toBe(201);
    const code = inbox(onRecord)[0].params[0];
    const results = await Promise.all(Array.from({ length: 4 }, () => confirmSms(a, p.patientId, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect([[400, 'SMS_CODE_EXPIRED'], [409, 'ALREADY_VERIFIED']]).toContainEqual(outcome(r));
    expect((await profileItem(p.patientId))?.verification).toMatchObject({ state: 'verified', method: 'sms' });
  });

  it('a code past its 5 minutes: 400 SMS_CODE_EXPIRED naming body.code, still unverified', async () => {
    const a = await account();
    const p = await person(a);
    const onRecord = mobile();
    await recordPhone(personKey(p.idNumber), onRecord, 'his');
    expect((await sendSms(a, p.patientId)).status).toBe(201);
    await expire(`IDV#SMS#${p.patientId}`, 'CODE');
    const r = await confirmSms(a, p.patientId, inbox(onRecord)[0].params[0]);
    expect(outcome(r)).toEqual([400, 'SMS_CODE_EXPIRED']);
    expect(fieldPaths(r)).toEqual(['body.code']);
    expect(await verificationOf(a, p.patientId)).toEqual({ state: 'unverified' });
  });

  it('5 wrong codes end the code: the 5th answers 409 SMS_CODE_LOCKED, and then even the right code is refused', async () => {
    const a = await account();
    const p = await person(a);
    const onRecord = mobile();
    await recordPhone(personKey(p.idNumber), onRecord, 'his');
    expect((await sendSms(a, p.patientId)).status).toBe(201);
    const code = inbox(onRecord)[0].params[0];
    const wrong = otherCode(code);
    for (const left of [4, 3, 2, 1]) {
      const r = await confirmSms(a, p.patientId, wrong);
      expect(outcome(r)).toEqual([400, 'SMS_CODE_WRONG']);
      expect(r.body.error.message).toContain(`还可尝试${left}次`);
    }
    expect(outcome(await confirmSms(a, p.patientId, wrong))).toEqual([409, 'SMS_CODE_LOCKED']);
    expect(outcome(await confirmSms(a, p.patientId, code))).toEqual([409, 'SMS_CODE_LOCKED']);
    expect(await verificationOf(a, p.patientId)).toEqual({ state: 'unverified' });
  });

  it('asking again within 60 s: 429 with Retry-After, and no second message', async () => {
    const a = await account();
    const p = await person(a);
    const onRecord = mobile();
    await recordPhone(personKey(p.idNumber), onRecord, 'his');
    expect((await sendSms(a, p.patientId)).status).toBe(201);
    const again = await sendSms(a, p.patientId);
    expect(outcome(again)).toEqual([429, 'RATE_LIMITED']);
    expect(retryAfter(again)).toBeGreaterThan(0);
    expect(retryAfter(again)).toBeLessThanOrEqual(60);
    expect(inbox(onRecord)).toHaveLength(1);
  });

  it('one phone gets at most 5 codes an hour, across accounts and people: the 6th is 429 with Retry-After', { timeout: 60_000 }, async () => {
    await clearOfWindowEdge(3600);
    const onRecord = mobile();
    const people: { a: Account; patientId: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await account();
      for (let j = 0; j < 2; j++) {
        const p = await person(a, { relation: j === 0 ? 'self' : 'parent' });
        await recordPhone(personKey(p.idNumber), onRecord, 'his');
        people.push({ a, patientId: p.patientId });
      }
    }
    for (const { a, patientId } of people.slice(0, 5)) expect((await sendSms(a, patientId)).status).toBe(201);
    const sixth = await sendSms(people[5].a, people[5].patientId);
    expect(outcome(sixth)).toEqual([429, 'RATE_LIMITED']);
    expect(retryAfter(sixth)).toBeGreaterThan(0);
    expect(retryAfter(sixth)).toBeLessThanOrEqual(3600);
    expect(inbox(onRecord)).toHaveLength(5);
  });

  it('SMS slower than TENCENTCLOUD_TIMEOUT_MS: 503 UPSTREAM_UNAVAILABLE, no code stored, and asking again is not blocked', async () => {
    const a = await account();
    const p = await person(a);
    await recordPhone(personKey(p.idNumber), mobile(), 'his');
    const before = process.env.TENCENTCLOUD_TIMEOUT_MS;
    process.env.TENCENTCLOUD_TIMEOUT_MS = '200';
    sb.tencent.setDelay(1000);
    try {
      expect(outcome(await sendSms(a, p.patientId))).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    } finally {
      sb.tencent.setDelay(0);
      if (before === undefined) delete process.env.TENCENTCLOUD_TIMEOUT_MS;
      else process.env.TENCENTCLOUD_TIMEOUT_MS = before;
    }
    expect(await getItem(`IDV#SMS#${p.patientId}`, 'CODE')).toBeUndefined();
    expect((await sendSms(a, p.patientId)).status).toBe(201);
  });

  it('no log line of the whole SMS flow holds the code, either phone or the ID number', async () => {
    const a = await account();
    const typed = mobile();
    const onRecord = mobile();
    const p = await person(a, { name: '钱海燕', phone: typed });
    await recordPhone(personKey(p.idNumber), onRecord, 'his');

    const lines: string[] = [];
    const keep = (chunk: unknown) => void lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    logger.setLogLevel('DEBUG');
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (keep(chunk), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (keep(chunk), true));
    for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    let code = '';
    try {
      expect((await statusOf(a, p.patientId)).status).toBe(200);
      expect((await sendSms(a, p.patientId)).status).toBe(201);
      expect((await sendSms(a, p.patientId)).status).toBe(429);
      code = inbox(onRecord)[0].params[0];
      expect((await confirmSms(a, p.patientId, otherCode(code))).status).toBe(400);
      expect((await confirmSms(a, p.patientId, code)).status).toBe(200);
      expect((await confirmSms(a, p.patientId, code)).status).toBe(409);
    } finally {
      vi.restoreAllMocks();
      logger.setLogLevel('WARN');
    }
    const text = lines.join('\n');
    // The capture works: the request lines and the verification are there.
    expect(text).toContain('"route":"sendSms"');
    expect(text).toContain('"route":"confirmSms"');
    expect(text).toContain('person verified');
    for (const secret of [onRecord, typed, p.idNumber, p.idNumber.slice(6, 14), p.idNumber.slice(-6), '钱海燕']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(new RegExp(`(?<![0-9A-Za-z])(${code}|${otherCode(code)})(?![0-9A-Za-z])`));
  });
});

describe('监护人认证: a verified guardian on my account verifies a child under 14', () => {
  async function family() {
    const a = await account();
    const mum = await person(a, { name: '李秀英', relation: 'self', verified: true });
    const kid = await person(a, { name: '王小明', relation: 'child', idNumber: childIdNumber() });
    return { a, mum, kid };
  }

  it('verifies the child by guardian; the consent item records guardian, relationship and time', async () => {
    const { a, mum, kid } = await family();
    const before = new Date().toISOString();
    const r = await guardian(a, kid.patientId, { guardianPatientId: mum.patientId, relationship: 'parent', consent: true });
    expect(r.status).toBe(200);
    expect(r.body.verification).toMatchObject({ state: 'verified', method: 'guardian', by: a.userId, evidenceRef: `guardian:${mum.patientId}:parent` });
    const consent = await getItem(`IDV#GUARDIAN#${kid.patientId}`, 'CONSENT');
    expect(consent).toMatchObject({ userId: a.userId, guardianPatientId: mum.patientId, relationship: 'parent' });
    expect(consent!.consentAt >= before && consent!.consentAt <= new Date().toISOString()).toBe(true);
    expect(await verificationOf(a, kid.patientId)).toMatchObject({ state: 'verified', method: 'guardian' });
    expect(outcome(await guardian(a, kid.patientId, { guardianPatientId: mum.patientId, relationship: 'parent', consent: true }))).toEqual([409, 'ALREADY_VERIFIED']);
  });

  it('a guardian not yet verified, or a verified 16-year-old: 409 GUARDIAN_NOT_VERIFIED, nothing recorded', async () => {
    const a = await account();
    const dad = await person(a, { name: '王强', relation: 'self' });
    const sister = await person(a, { name: '王小红', relation: 'child', idNumber: teenIdNumber(), verified: true });
    const kid = await person(a, { name: '王小明', relation: 'child', idNumber: childIdNumber() });
    for (const g of [dad, sister]) {
      expect(outcome(await guardian(a, kid.patientId, { guardianPatientId: g.patientId, relationship: 'legal_guardian', consent: true }))).toEqual([409, 'GUARDIAN_NOT_VERIFIED']);
    }
    expect(await getItem(`IDV#GUARDIAN#${kid.patientId}`, 'CONSENT')).toBeUndefined();
    expect(await verificationOf(a, kid.patientId)).toEqual({ state: 'unverified' });
  });

  it('without the guardian’s consent: 400 naming body.consent', async () => {
    const { a, mum, kid } = await family();
    for (const consent of [false, undefined, 'true']) {
      const r = await guardian(a, kid.patientId, { guardianPatientId: mum.patientId, relationship: 'parent', consent });
      expect(outcome(r)).toEqual([400, 'VALIDATION_FAILED']);
      expect(fieldPaths(r)).toEqual(['body.consent']);
    }
    expect(await verificationOf(a, kid.patientId)).toEqual({ state: 'unverified' });
  });

  it('a guardian from another account: 400 naming body.guardianPatientId', async () => {
    const { a, kid } = await family();
    const elsewhere = await account();
    const stranger = await person(elsewhere, { name: '陈刚', verified: true });
    const r = await guardian(a, kid.patientId, { guardianPatientId: stranger.patientId, relationship: 'legal_guardian', consent: true });
    expect(outcome(r)).toEqual([400, 'VALIDATION_FAILED']);
    expect(fieldPaths(r)).toEqual(['body.guardianPatientId']);
    expect(await verificationOf(a, kid.patientId)).toEqual({ state: 'unverified' });
  });

  it('an adult is no child: 409 NOT_A_CHILD', async () => {
    const { a, mum } = await family();
    const grandpa = await person(a, { name: '王德福', relation: 'parent' });
    expect(outcome(await guardian(a, grandpa.patientId, { guardianPatientId: mum.patientId, relationship: 'legal_guardian', consent: true }))).toEqual([409, 'NOT_A_CHILD']);
    expect(await verificationOf(a, grandpa.patientId)).toEqual({ state: 'unverified' });
  });

  it('verified on one account, unverified on another: the same child added elsewhere stays unverified there', async () => {
    const { a, mum, kid } = await family();
    expect((await guardian(a, kid.patientId, { guardianPatientId: mum.patientId, relationship: 'parent', consent: true })).status).toBe(200);
    const grandma = await account();
    const same = await person(grandma, { name: '王小明', relation: 'other', idNumber: kid.idNumber });
    const s = await statusOf(grandma, same.patientId);
    expect(s.body).toMatchObject({ verification: { state: 'unverified' }, ways: ['guardian', 'in_person'], guardians: [] });
    expect((await call(patients, api.patients.list, { token: grandma.token })).body.items[0].verification).toEqual({ state: 'unverified' });
  });
});

describe('现场核验: staff check the ID card against a code shown at the window', () => {
  it('code → masked lookup → the right card verifies in person (org, place, staff), and the access log names the nurse', async () => {
    const a = await account();
    const p = await person(a, { name: '刘桂兰', relation: 'parent' });
    const staff = await nurse({ name: '窗口护士王芳' });
    const c = await personCode(a, p.patientId);
    expect(c.status).toBe(201);
    expect(c.body.code).toMatch(/^\d{8}$/);

    const seen = await staffLookup(staff.token, c.body.code);
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ name: '刘桂兰', sex: expect.any(String), birthDate: expect.any(String), idNumberMasked: maskIdCard(p.idNumber), relation: '父母', verification: { state: 'unverified' } });
    expect(seen.text).not.toContain(p.idNumber);
    expect(seen.text).not.toContain(p.idNumber.slice(4, 14));

    const place = '门诊一楼实名窗口';
    const done = await staffVerify(staff.token, { code: c.body.code, idNumber: p.idNumber, place });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ name: '刘桂兰', verification: { state: 'verified', method: 'in_person', at: expect.any(String), by: staff.userId, evidenceRef: `${staff.orgId}:${place}`, orgId: staff.orgId, place } });
    expect(await verificationOf(a, p.patientId)).toMatchObject({ state: 'verified', method: 'in_person', orgId: staff.orgId, place, by: staff.userId });

    const log = await call(records, api.records.accessLog, { token: a.token, params: { patientId: p.patientId } });
    expect(log.status).toBe(200);
    expect(log.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ purpose: 'identity_verification', actorName: '窗口护士王芳', resource: 'identity:in_person', outcome: 'allowed', basis: `${staff.orgId}:${place}` }),
        expect.objectContaining({ purpose: 'identity_verification', actorName: '窗口护士王芳', resource: 'identity:lookup', outcome: 'allowed' }),
      ]),
    );
    // Used: the code is gone.
    expect(outcome(await staffLookup(staff.token, c.body.code))).toEqual([404, 'NOT_FOUND']);
    expect(outcome(await staffVerify(staff.token, { code: c.body.code, idNumber: p.idNumber, place }))).toEqual([404, 'NOT_FOUND']);
  });

  it('a card that does not match: 409 ID_MISMATCH, the person stays unverified, and the code still works', async () => {
    const a = await account();
    const p = await person(a);
    const staff = await nurse();
    const { code } = (await personCode(a, p.patientId)).body;
    const wrong = await staffVerify(staff.token, { code, idNumber: idNumber(), place: '急诊分诊台' });
    expect(outcome(wrong)).toEqual([409, 'ID_MISMATCH']);
    expect(await verificationOf(a, p.patientId)).toEqual({ state: 'unverified' });
    expect((await staffLookup(staff.token, code)).status).toBe(200);
    expect((await staffVerify(staff.token, { code, idNumber: p.idNumber.toLowerCase(), place: '急诊分诊台' })).body.verification).toMatchObject({ state: 'verified', method: 'in_person' });
    // The refusal is in the person's access log too.
    const log = await call(records, api.records.accessLog, { token: a.token, params: { patientId: p.patientId } });
    expect(log.body.entries).toEqual(expect.arrayContaining([expect.objectContaining({ resource: 'identity:in_person', outcome: 'refused' })]));
  });

  it('a nurse with no organisation: 403 on lookup and verify, and the code is untouched', async () => {
    const a = await account();
    const p = await person(a);
    const { code } = (await personCode(a, p.patientId)).body;
    const loose = await nurse({ orgId: null });
    expect(outcome(await staffLookup(loose.token, code))).toEqual([403, 'FORBIDDEN']);
    expect(outcome(await staffVerify(loose.token, { code, idNumber: p.idNumber, place: '门诊' }))).toEqual([403, 'FORBIDDEN']);
    expect(await verificationOf(a, p.patientId)).toEqual({ state: 'unverified' });
    expect((await staffLookup((await nurse()).token, code)).status).toBe(200);
  });

  it('an unknown or expired code: 404', async () => {
    const a = await account();
    const p = await person(a);
    const staff = await nurse();
    const { code } = (await personCode(a, p.patientId)).body;
    const unknown = String((Number(code) + 1) % 1e8).padStart(8, '0');
    expect(outcome(await staffLookup(staff.token, unknown))).toEqual([404, 'NOT_FOUND']);
    expect(outcome(await staffLookup(staff.token, 'abc'))).toEqual([404, 'NOT_FOUND']);
    await expire(`IDV#CODE#${code}`, 'PERSONCODE');
    expect(outcome(await staffLookup(staff.token, code))).toEqual([404, 'NOT_FOUND']);
    expect(outcome(await staffVerify(staff.token, { code, idNumber: p.idNumber, place: '门诊' }))).toEqual([404, 'NOT_FOUND']);
    expect(await verificationOf(a, p.patientId)).toEqual({ state: 'unverified' });
  });

  it('a patient token on the staff routes: 403', async () => {
    const a = await account();
    const p = await person(a);
    const { code } = (await personCode(a, p.patientId)).body;
    expect(outcome(await staffLookup(a.token, code))).toEqual([403, 'FORBIDDEN']);
    expect(outcome(await staffVerify(a.token, { code, idNumber: p.idNumber, place: '家里' }))).toEqual([403, 'FORBIDDEN']);
    expect(outcome(await call(handler, api.identity.staffFlags, { token: a.token }))).toEqual([403, 'FORBIDDEN']);
    expect(await verificationOf(a, p.patientId)).toEqual({ state: 'unverified' });
  });
});

describe('ID numbers and phones at rest', () => {
  it('the stored person holds ciphertexts: no clear ID number or phone anywhere in the item', async () => {
    const a = await account();
    const p = await person(a);
    const item = await profileItem(p.patientId);
    expect(item).toMatchObject({ idNumberEnc: expect.stringMatching(/^v1\./), phoneEnc: expect.stringMatching(/^v1\./) });
    expect(item).not.toHaveProperty('idNumber');
    expect(item).not.toHaveProperty('phone');
    const text = JSON.stringify(item);
    for (const clear of [p.idNumber, p.idNumber.slice(0, 17), p.phone]) expect(text).not.toContain(clear);
    // The phone on record too.
    const onRecord = mobile();
    await recordPhone(personKey(p.idNumber), onRecord, 'his');
    const phoneItem = await getItem(`PERSON#${personKey(p.idNumber)}`, 'PHONE');
    expect(phoneItem).toMatchObject({ phoneEnc: expect.stringMatching(/^v1\./), source: 'his' });
    expect(JSON.stringify(phoneItem)).not.toContain(onRecord);
  });

  it('the person key is a keyed HMAC, not a hash anyone could recompute from a guessed ID number', async () => {
    const a = await account();
    const p = await person(a);
    const hashes = [sha256(p.idNumber), sha256(`person:${p.idNumber}`)];
    const item = await profileItem(p.patientId);
    expect(item?.GSI2PK).toMatch(/^PERSON#[0-9a-f]{64}$/);
    for (const h of hashes) expect(item?.GSI2PK).not.toContain(h);
    const entries = await db.send(
      new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :pk AND begins_with(SK, :idno)', ExpressionAttributeValues: { ':pk': `ACCOUNT#${a.userId}`, ':idno': 'IDNO#' }, ConsistentRead: true }),
    );
    expect(entries.Items).toHaveLength(1);
    const key = JSON.stringify(entries.Items![0]);
    for (const h of [...hashes, p.idNumber]) expect(key).not.toContain(h);
  });
});

describe('limits on guessing and abuse', () => {
  it('one ID number added on 3 accounts is flagged for the platform admin (audited), masked; a hospital’s admin or nurse may not see the flags', async () => {
    const id = idNumber();
    for (let i = 0; i < 3; i++) await person(await account(), { idNumber: id, relation: 'other' });
    const platformId = `u-platform-${randomUUID()}`;
    const admin = await tokenFor(['platform_admin'], platformId, undefined, '平台运维');
    const r = await call(handler, api.identity.staffFlags, { token: admin });
    expect((await listPlatformAudit(20)).filter((a) => a.actorId === platformId).map((a) => a.action)).toEqual(['identity.staffFlags']);
    expect(outcome(await call(handler, api.identity.staffFlags, { token: await tokenFor(['admin'], undefined, 'org-hospital') }))).toEqual([403, 'FORBIDDEN']);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ idNumberMasked: maskIdCard(id), accounts: expect.any(Number) })]));
    const mine = r.body.items.filter((f: { idNumberMasked: string }) => f.idNumberMasked === maskIdCard(id));
    expect(Math.max(...mine.map((f: { accounts: number }) => f.accounts))).toBeGreaterThanOrEqual(3);
    expect(r.text).not.toContain(id);
    expect(outcome(await call(handler, api.identity.staffFlags, { token: (await nurse()).token }))).toEqual([403, 'FORBIDDEN']);
  });

  it('an account adds at most 10 people a day, even removing them in between: the 11th is 429 with Retry-After', { timeout: 60_000 }, async () => {
    await clearOfWindowEdge(86400);
    const a = await account();
    const add = () => call(patients, api.patients.create, { token: a.token, body: { name: '测试就诊人', relation: 'other', phone: mobile(), idNumber: idNumber() } });
    for (let i = 0; i < 10; i++) {
      const r = await add();
      expect(r.status).toBe(201);
      expect((await call(patients, api.patients.remove, { token: a.token, params: { patientId: r.body.id } })).status).toBe(200);
    }
    const eleventh = await add();
    expect(outcome(eleventh)).toEqual([429, 'RATE_LIMITED']);
    expect(retryAfter(eleventh)).toBeGreaterThan(0);
    expect(retryAfter(eleventh)).toBeLessThanOrEqual(86400);
    expect((await call(patients, api.patients.list, { token: a.token })).body.items).toEqual([]);
  });

  it('more than 20 verification attempts an hour on one person, even spread over accounts: 429', { timeout: 60_000 }, async () => {
    await clearOfWindowEdge(3600);
    const id = idNumber();
    const [a, b, c] = [await account(), await account(), await account()];
    const [pa, pb, pc] = [await person(a, { idNumber: id }), await person(b, { idNumber: id }), await person(c, { idNumber: id })];
    // Each attempt is counted before the code is looked at (none was sent: SMS_CODE_EXPIRED).
    for (const [acc, p] of [[a, pa], [b, pb]] as const) {
      for (let i = 0; i < 10; i++) expect(outcome(await confirmSms(acc, p.patientId, '000000'))).toEqual([400, 'SMS_CODE_EXPIRED']);
    }
    const over = await confirmSms(c, pc.patientId, '000000');
    expect(outcome(over)).toEqual([429, 'RATE_LIMITED']);
    expect(retryAfter(over)).toBeGreaterThan(0);
    expect(retryAfter(over)).toBeLessThanOrEqual(3600);
    expect(outcome(await startFace(c, pc.patientId))).toEqual([429, 'RATE_LIMITED']);
    // Another person on the same account is not held back.
    expect((await startFace(c, (await person(c)).patientId)).status).toBe(201);
  });
});

describe('identity routes under random input', () => {
  const routes = Object.entries(api.identity as Record<string, RouteDef>);
  let fuzz: { a: Account; ids: string[]; idNumbers: string[]; bizTokens: string[]; codes: string[] };

  beforeAll(async () => {
    // Real things for the fuzzed input to hit: an adult with a phone on record, a verified adult, a
    // child, live FaceID sessions (one passed, one failed) and live window codes.
    const a = await account();
    const adult = await person(a);
    await recordPhone(personKey(adult.idNumber), mobile(), 'his');
    const parent = await person(a, { relation: 'spouse', verified: true });
    const kid = await person(a, { relation: 'child', idNumber: childIdNumber() });
    const bizTokens = [(await startFace(a, adult.patientId)).body.bizToken, (await startFace(a, adult.patientId)).body.bizToken];
    sb.tencent.setFaceOutcome(bizTokens[0], 'fail');
    sb.tencent.setFaceOutcome(bizTokens[1], 'pass');
    const codes = [(await personCode(a, adult.patientId)).body.code, (await personCode(a, kid.patientId)).body.code];
    fuzz = { a, ids: [adult.patientId, parent.patientId, kid.patientId], idNumbers: [adult.idNumber, parent.idNumber, kid.idNumber], bizTokens, codes };
  });

  const kb3 = 'a'.repeat(3072);
  const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom(kb3, `p-${kb3}`, '9'.repeat(3072), '../..', '%00', '💥', ''));
  const pathId = () =>
    fc.oneof({ arbitrary: fc.constantFrom(...fuzz.ids, ...fuzz.codes), weight: 3 }, text, fc.stringMatching(/^[\w-]{1,90}$/), fc.stringMatching(/^\d{8}$/));
  /** Passes the route's schema most of the time, so the service itself meets the input. */
  const wellFormed = () =>
    fc.record(
      {
        redirectUrl: fc.constantFrom(`${config.h5Origin}/#/packages/identity/pages/verify/index`, `${config.h5Origin}/x?y=${kb3.slice(0, 400)}`),
        bizToken: fc.oneof(fc.constantFrom(...fuzz.bizTokens), fc.uuid().map((u) => u.toUpperCase())),
        code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.constantFrom(...fuzz.codes)),
        guardianPatientId: fc.constantFrom(...fuzz.ids),
        relationship: fc.constantFrom('parent', 'legal_guardian'),
        consent: fc.constant(true),
        idNumber: fc.oneof(fc.constantFrom(...fuzz.idNumbers), fc.constant(idNumber())),
        place: fc.constantFrom('门诊', '急诊分诊台'),
      },
      { requiredKeys: ['bizToken', 'code', 'guardianPatientId', 'relationship', 'consent', 'idNumber', 'place'] },
    );
  const body = () =>
    fc.oneof(
      { arbitrary: wellFormed(), weight: 4 },
      fc.constantFrom(false, 0, true, null, '', 'x', [], {}, -1, 1e308),
      fc.jsonValue(),
      fc.object(),
      text,
      text.map((s) => ({ redirectUrl: s, bizToken: s, code: s, guardianPatientId: s, relationship: s, consent: true, idNumber: s, place: s })),
      fc.record(
        {
          redirectUrl: fc.oneof(fc.webUrl(), text),
          bizToken: text,
          code: text,
          guardianPatientId: fc.oneof(fc.constantFrom(...fuzz.ids), text),
          relationship: fc.constantFrom('parent', 'legal_guardian', 'x', 0),
          consent: fc.constantFrom(true, false, 'true', 1),
          idNumber: text,
          place: text,
        },
        { requiredKeys: [] },
      ),
    );
  const payload = () =>
    fc.oneof(
      { arbitrary: body().map((b) => ({ body: b })), weight: 3 },
      fc.oneof(fc.string(), fc.constantFrom('false', '0', '"x"', '{', 'nul', '[]')).map((rawBody) => ({ rawBody })),
    );

  it.each(routes)('%s never answers 5xx', { timeout: 120_000 }, async (_name, d) => {
    const names = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const staff = d.access !== 'public' && d.access !== 'signature' && !d.access.includes('patient');
    await fc.assert(
      fc.asyncProperty(fc.array(pathId(), { minLength: names.length, maxLength: names.length }), payload(), fc.dictionary(fc.string(), fc.string()), fc.string({ maxLength: 140 }), async (ids, input, query, key) => {
        // A fresh staff member per run, so their hourly lookup limit never hides the logic behind a 429.
        const token = staff ? await tokenFor(d.access.includes('nurse') ? ['nurse'] : ['admin'], undefined, 'org-fuzz') : fuzz.a.token;
        const params = Object.fromEntries(names.map((n, i) => [n, ids[i]]));
        const r = await call(handler, d, { params, ...input, query, token, headers: { 'idempotency-key': key } });
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
        if (r.status >= 400) expect(typeof r.body?.error?.code).toBe('string');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 30) },
    );
  });
});
