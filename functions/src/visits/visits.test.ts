import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, localDate, scheduleIdOf, toLocalIso } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { patientAccount } from '#test/fixtures';
import { putUser } from '../auth/store';
import { createSchedule, PLACE_SHARDS } from '../catalog/schedule-store';
import { putDepartment, putDoctor, putOrg } from '../catalog/store';
import { handler as booking } from '../booking/handler';
import { handler as records } from '../records/handler';
import { listAudit } from '../records/store';
import { getBill } from '../payments/bills-store';
import { handler } from './handler';

// AccessToken2 is not in the package's index: its parser lives beside the builder.
const { AccessToken2, kRtcServiceType } = createRequire(import.meta.url)('agora-token/src/AccessToken2.js');

const APP_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const CERT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const tag = randomUUID().slice(0, 8);
const key = () => ({ 'idempotency-key': `k-${randomUUID()}` });

interface Doc { userId: string; doctorId: string; orgId: string; token: string }
async function doctor(orgId: string, name: string): Promise<Doc> {
  const userId = `u-doc-${randomUUID()}`;
  const doctorId = `doc-${randomUUID().slice(0, 12)}`;
  await putUser({ userId, name, roles: [], memberships: [{ orgId, roles: ['doctor'] }], createdAt: new Date().toISOString() });
  await putDoctor({ id: doctorId, userId, orgId, deptId: `dept-${orgId}`, name, title: '主任医师', specialty: '心内科', intro: '', fee: 0, order: 1 });
  return { userId, doctorId, orgId, token: await tokenFor(['doctor'], userId, orgId, name) };
}

async function org(id: string, kind: 'hospital' | 'station') {
  await putOrg({ id, name: kind === 'station' ? '南天门工作站' : '市中心医院', kind, level: '', address: '', phone: '', intro: '', order: 90, location: { gcj02: { lat: 36, lng: 117 }, wgs84: { lat: 36, lng: 117 } } });
  await putDepartment({ id: `dept-${id}`, orgId: id, name: kind === 'station' ? '远程诊室' : '心血管内科', intro: '', floor: '', order: 1 });
}

const STATION = `org-st-${tag}`;
const CITY = `org-city-${tag}`;
let host: Doc, specialist: Doc, second: Doc, outsider: Doc, pharmacist: Doc, pharmacist2: Doc;

/** A pharmacist (药师) of an organisation: reviews its prescriptions. */
async function pharmacistOf(orgId: string, name: string): Promise<Doc> {
  const userId = `u-rx-${randomUUID()}`;
  await putUser({ userId, name, roles: [], memberships: [{ orgId, roles: ['pharmacist'] }], createdAt: new Date().toISOString() });
  return { userId, doctorId: '', orgId, token: await tokenFor(['pharmacist'], userId, orgId, name) };
}

beforeAll(async () => {
  process.env.AGORA_APP_ID = APP_ID;
  process.env.AGORA_APP_CERTIFICATE = CERT;
  await org(STATION, 'station');
  await org(CITY, 'hospital');
  host = await doctor(STATION, '赵山');
  specialist = await doctor(CITY, '李明华');
  second = await doctor(CITY, '王丽');
  outsider = await doctor(CITY, '张伟');
  pharmacist = await pharmacistOf(CITY, '吴敏 药师');
  pharmacist2 = await pharmacistOf(CITY, '郑药师');
});

afterEach(() => {
  vi.useRealTimers();
  process.env.AGORA_APP_ID = APP_ID;
  process.env.AGORA_APP_CERTIFICATE = CERT;
});

/** A patient who shared their record with the station (consent), as they would at the station's desk. */
async function consentingPatient() {
  const a = await patientAccount('张建国');
  const g = await call(records, api.records.grantConsent, {
    token: a.token,
    body: { patientId: a.patientId, grantee: { type: 'org', id: STATION }, purpose: 'consultation', scopes: ['record', 'reports'], days: 1 },
  });
  expect(g.status).toBe(201);
  return a;
}

async function consultation(a: { patientId: string }, o: { inMinutes?: number; duration?: number; specialists?: Doc[] } = {}) {
  const r = await call(handler, api.visits.create, {
    token: host.token,
    headers: key(),
    body: {
      patientId: a.patientId,
      participants: (o.specialists ?? [specialist]).map((d) => d.doctorId),
      reason: '胸闷气短，血压 170/100',
      scheduledAt: toLocalIso(Date.now() + (o.inMinutes ?? 0) * 60_000),
      durationMinutes: o.duration ?? 30,
    },
  });
  expect(r.status, r.text).toBe(201);
  return r.body as { id: string; participants: { userId: string; uid: number; role: string }[] };
}

/** A fresh access token (after the clock was moved past the old one's expiry). */
const later_ = (d: Doc) => tokenFor(['doctor'], d.userId, d.orgId);

const join = (visitId: string, token: string) => call(handler, api.visits.join, { token, params: { visitId } });

function decode(token: string) {
  const t = new AccessToken2();
  expect(t.from_string(token)).toBe(true);
  const rtc = t.services.find((s: { service_type(): number }) => s.service_type() === kRtcServiceType);
  expect(rtc).toBeDefined();
  return { t, rtc };
}

describe('joining a visit: the Agora token', () => {
  it('carries the visit’s channel, the participant’s uid, an expiry and the publisher privileges, signed with the certificate', async () => {
    const a = await consentingPatient();
    const v = await consultation(a);
    const before = Math.floor(Date.now() / 1000);
    const r = await join(v.id, a.token);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ appId: APP_ID, uid: 1, status: 'waiting' });
    expect(r.body.channel).toMatch(/^v[0-9a-f]{32}$/);

    const { t, rtc } = decode(r.body.token);
    expect(t.verifySignature(CERT)).toBe(true);
    expect(t.verifySignature('ffffffffffffffffffffffffffffffff')).toBe(false);
    // The parser keeps strings as bytes.
    expect(String(t.appId)).toBe(APP_ID);
    expect(String(rtc.__channel_name)).toBe(r.body.channel);
    expect(String(rtc.__uid)).toBe('1');
    // Join + publish audio/video/data, each for the token's whole life.
    expect(Object.keys(rtc.__privileges).map(Number).sort()).toEqual([1, 2, 3, 4]);
    const expiry = t.issueTs + t.expire;
    expect(Math.abs(expiry - Date.parse(r.body.expiresAt) / 1000)).toBeLessThanOrEqual(1);
    // The window closes 30 min after the 30-minute visit: the token lives no longer than that, and never beyond 2 hours.
    expect(t.expire).toBeGreaterThan(50 * 60);
    expect(t.expire).toBeLessThanOrEqual(60 * 60);
    expect(Object.values(rtc.__privileges).every((s) => s === t.expire)).toBe(true);
    expect(t.issueTs).toBeGreaterThanOrEqual(before - 1);
  });

  it('three participants get distinct uids in the same channel', async () => {
    const a = await consentingPatient();
    const v = await consultation(a, { specialists: [specialist, second] });
    const joins = await Promise.all([join(v.id, host.token), join(v.id, specialist.token), join(v.id, second.token), join(v.id, a.token)]);
    for (const j of joins) expect(j.status, j.text).toBe(200);
    expect(new Set(joins.map((j) => j.body.channel)).size).toBe(1);
    expect(new Set(joins.map((j) => j.body.uid)).size).toBe(4);
    for (const j of joins) expect(String(decode(j.body.token).rtc.__uid)).toBe(String(j.body.uid));
  });

  it('refuses a doctor who is not a participant (403) and another account’s patient (404), and never hands them a token', async () => {
    const a = await consentingPatient();
    const b = await patientAccount();
    const v = await consultation(a);
    const r = await join(v.id, outsider.token);
    expect(r.status).toBe(403);
    expect(r.body.token).toBeUndefined();
    expect((await join(v.id, b.token)).status).toBe(404);
    expect((await call(handler, api.visits.get, { token: outsider.token, params: { visitId: v.id } })).status).toBe(403);
    expect((await call(handler, api.visits.get, { token: b.token, params: { visitId: v.id } })).status).toBe(404);
  });

  it('is refused outside the window: earlier than 15 minutes before, and after the end plus grace', async () => {
    const a = await consentingPatient();
    const later = await consultation(a, { inMinutes: 60 });
    const early = await join(later.id, specialist.token);
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('TOO_EARLY');

    const now = await consultation(a, { duration: 10 });
    expect((await join(now.id, specialist.token)).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 41 * 60_000);
    const late = await join(now.id, await later_(specialist));
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe('TOO_LATE');
  });

  it('moves scheduled → waiting (patient) → in progress (doctor); a rejoin keeps the channel; after the room expires a fresh one', async () => {
    const a = await consentingPatient();
    const v = await consultation(a, { duration: 240 });
    const p1 = await join(v.id, a.token);
    expect(p1.body.status).toBe('waiting');
    const d1 = await join(v.id, host.token);
    expect(d1.body.status).toBe('in_progress');
    const p2 = await join(v.id, a.token);
    expect(p2.body).toMatchObject({ status: 'in_progress', channel: p1.body.channel, uid: 1 });

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 4 * 3600_000 + 60_000);
    // Access tokens are short: new ones at the new time.
    const p3 = await join(v.id, await tokenFor(['patient'], a.userId));
    expect(p3.status).toBe(200);
    expect(p3.body.channel).not.toBe(p1.body.channel);
    const d3 = await join(v.id, await later_(host));
    expect(d3.body.channel).toBe(p3.body.channel);
    vi.useRealTimers();

    const ended = await call(handler, api.visits.end, { token: host.token, params: { visitId: v.id } });
    expect(ended.body.status).toBe('ended');
    const again = await join(v.id, a.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('VISIT_FINISHED');
  });

  it('without credentials (the local default) still opens the room, with no token and a plain explanation', async () => {
    delete process.env.AGORA_APP_ID;
    delete process.env.AGORA_APP_CERTIFICATE;
    const a = await consentingPatient();
    const v = await consultation(a);
    const r = await join(v.id, a.token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ appId: null, token: null, uid: 1 });
    expect(r.body.videoHint).toContain('AGORA_APP_ID');
  });

  it('a malformed certificate is a configuration error (503), never an empty token', async () => {
    process.env.AGORA_APP_CERTIFICATE = 'not-a-certificate';
    const a = await consentingPatient();
    const v = await consultation(a);
    const r = await join(v.id, a.token);
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('VIDEO_UNAVAILABLE');
    expect(r.text).not.toContain('not-a-certificate');
  });
});

describe('starting a consultation', () => {
  it('needs the patient’s consent to the host (audited refusal otherwise)', async () => {
    const a = await patientAccount();
    const r = await call(handler, api.visits.create, {
      token: host.token,
      headers: key(),
      body: { patientId: a.patientId, participants: [specialist.doctorId], reason: '会诊', scheduledAt: toLocalIso(Date.now()) },
    });
    expect(r.status).toBe(403);
    const trail = await listAudit(a.patientId);
    expect(trail.some((e) => e.actorId === host.userId && e.outcome === 'refused' && e.resource === 'visit:create')).toBe(true);
  });

  it('opens the record to the invited specialist for the visit (audited read, purpose consultation)', async () => {
    const a = await consentingPatient();
    const before = await call(records, api.records.staffRecord, { token: second.token, params: { patientId: a.patientId }, query: { purpose: 'consultation' } });
    expect(before.status).toBe(403);
    const v = await consultation(a, { specialists: [second] });
    const s = await call(handler, api.visits.patientSummary, { token: second.token, params: { visitId: v.id } });
    expect(s.status, s.text).toBe(200);
    expect(s.body).toMatchObject({ patientId: a.patientId, name: '张建国' });
    const trail = await listAudit(a.patientId);
    expect(trail.some((e) => e.actorId === second.userId && e.outcome === 'allowed' && e.resource === `visit:${v.id}` && e.basis === `visit:${v.id}`)).toBe(true);
    // Cancelling closes it again.
    await call(handler, api.visits.cancel, { token: host.token, params: { visitId: v.id }, body: { reason: '患者已转诊' } });
    expect((await call(handler, api.visits.patientSummary, { token: second.token, params: { visitId: v.id } })).status).toBe(403);
  });

  it('invites one more specialist with the next uid', async () => {
    const a = await consentingPatient();
    const v = await consultation(a);
    const r = await call(handler, api.visits.invite, { token: host.token, params: { visitId: v.id }, body: { doctorId: second.doctorId } });
    expect(r.status).toBe(200);
    const uids = r.body.participants.map((p: { uid: number }) => p.uid);
    expect(uids).toEqual([1, 2, 3, 4]);
    expect((await join(v.id, second.token)).body.uid).toBe(4);
  });
});

describe('notes, e-prescriptions and orders', () => {
  async function started() {
    const a = await consentingPatient();
    const v = await consultation(a);
    await join(v.id, host.token);
    return { a, v };
  }

  const rx = {
    diagnosis: '高血压2级',
    items: [{ drug: 'amlodipine-5', dose: '5mg', route: 'oral', frequency: 'qd', days: 14, quantity: 2 }],
  };

  it('a prescription cannot be approved by its author; a pharmacist of the prescribing hospital approves and the patient gets a bill to pay', async () => {
    const { a, v } = await started();
    const p = await call(handler, api.visits.prescribe, { token: specialist.token, headers: key(), params: { visitId: v.id }, body: rx });
    expect(p.status, p.text).toBe(201);
    expect(p.body).toMatchObject({ status: 'pending_review', total: 4300 });
    expect(p.body.items[0]).toMatchObject({ name: '苯磺酸氨氯地平片', strength: '5mg', unitPrice: 2150, amount: 4300 });

    // Its author may not review it, not even one who is also a pharmacist there.
    const authorAsPharmacist = await tokenFor(['doctor', 'pharmacist'], specialist.userId, [{ orgId: CITY, roles: ['doctor', 'pharmacist'] }]);
    const own = await call(handler, api.visits.review, { token: authorAsPharmacist, params: { visitId: v.id, rxId: p.body.id }, body: { decision: 'approve' } });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('OWN_PRESCRIPTION');

    const queue = await call(handler, api.visits.reviewQueue, { token: pharmacist.token });
    expect(queue.body.items.some((x: { id: string }) => x.id === p.body.id)).toBe(true);
    const ok = await call(handler, api.visits.review, { token: pharmacist.token, params: { visitId: v.id, rxId: p.body.id }, body: { decision: 'approve' } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect(ok.body.bill).toMatchObject({ total: 4300, status: 'unpaid' });
    const bill = await getBill(ok.body.bill.id);
    expect(bill).toMatchObject({ total: 4300, status: 'unpaid', source: 'visit' });

    const seen = await call(handler, api.visits.get, { token: a.token, params: { visitId: v.id } });
    expect(seen.body.prescriptions[0]).toMatchObject({ status: 'approved', bill: { id: ok.body.bill.id } });
    const after = await call(handler, api.visits.reviewQueue, { token: pharmacist.token });
    expect(after.body.items.some((x: { id: string }) => x.id === p.body.id)).toBe(false);
    // A second review changes nothing.
    const twice = await call(handler, api.visits.review, { token: pharmacist2.token, params: { visitId: v.id, rxId: p.body.id }, body: { decision: 'reject', note: '剂量' } });
    expect(twice.status).toBe(409);
  });

  it('refuses drugs outside the formulary, a wrong route and 31 days, naming the field', async () => {
    const { v } = await started();
    const bad = async (item: object, path: string) => {
      const r = await call(handler, api.visits.prescribe, { token: host.token, headers: key(), params: { visitId: v.id }, body: { diagnosis: 'x', items: [{ ...rx.items[0], ...item }] } });
      expect(r.status).toBe(400);
      expect(r.body.error.fields[0].path).toBe(path);
    };
    await bad({ drug: 'morphine-10' }, 'body.items.0.drug');
    await bad({ route: 'iv' }, 'body.items.0.route');
    await bad({ days: 31 }, 'body.items.0.days');
  });

  it('notes and orders appear on the patient’s side; orders are billed at catalogue prices', async () => {
    const { a, v } = await started();
    const n = await call(handler, api.visits.addNote, { token: specialist.token, headers: key(), params: { visitId: v.id }, body: { diagnosis: '高血压2级', advice: '低盐饮食，两周后复诊' } });
    expect(n.status, n.text).toBe(201);
    const o = await call(handler, api.visits.order, { token: specialist.token, headers: key(), params: { visitId: v.id }, body: { tests: ['ecg', 'lipids'] } });
    expect(o.status, o.text).toBe(201);
    expect(o.body).toMatchObject({ total: 7000, bill: { total: 7000, status: 'unpaid' } });
    await call(handler, api.visits.end, { token: host.token, params: { visitId: v.id } });
    const seen = await call(handler, api.visits.get, { token: a.token, params: { visitId: v.id } });
    expect(seen.body.status).toBe('ended');
    expect(seen.body.notes[0]).toMatchObject({ advice: '低盐饮食，两周后复诊', authorRole: 'specialist' });
    expect(seen.body.orders[0].items.map((i: { name: string }) => i.name)).toEqual(['常规心电图', '血脂四项']);
    // The patient cannot write.
    expect((await call(handler, api.visits.addNote, { token: a.token, params: { visitId: v.id }, body: { advice: 'x' } })).status).toBe(403);
  });

  it('nothing is written before the visit starts', async () => {
    const a = await consentingPatient();
    const v = await consultation(a);
    const r = await call(handler, api.visits.addNote, { token: host.token, params: { visitId: v.id }, body: { advice: '先写' } });
    expect(r.status).toBe(409);
  });
});

describe('the patient’s side', () => {
  it('a patient sees only the visits of their own account', async () => {
    const a = await consentingPatient();
    const b = await consentingPatient();
    const va = await consultation(a);
    const vb = await consultation(b);
    const mine = await call(handler, api.visits.mine, { token: a.token, query: { filter: 'all' } });
    const ids = mine.body.items.map((v: { id: string }) => v.id);
    expect(ids).toContain(va.id);
    expect(ids).not.toContain(vb.id);
    expect(mine.body.items[0]).toMatchObject({ canJoin: true, kind: 'consultation' });
  });

  it('a confirmed booking of a video session becomes a video visit for the patient and the doctor', async () => {
    const doc = await doctor(CITY, '刘洋');
    const now = Date.now();
    const date = localDate(now);
    const s = {
      id: `${scheduleIdOf(doc.doctorId, date, 'evening')}-${tag}`, orgId: CITY, orgName: '市中心医院', deptId: `dept-${CITY}`, deptName: '心血管内科',
      doctorId: doc.doctorId, doctorName: '刘洋', doctorTitle: '主任医师', date, session: 'evening' as const,
      startsAt: toLocalIso(now - 600_000), endsAt: toLocalIso(now + 3600_000), capacity: 5, fee: 0,
      releaseAt: toLocalIso(now - 3600_000), bookingClosesAt: toLocalIso(now + 1800_000), cancelCutoffAt: toLocalIso(now + 1800_000),
      shards: PLACE_SHARDS, stopped: false, mode: 'video' as const, createdAt: toLocalIso(now), updatedAt: toLocalIso(now),
    };
    expect(await createSchedule(s)).toBe(true);
    const sessions = await call(handler, api.visits.videoSessions, { query: { date } });
    expect(sessions.body.items.some((x: { scheduleId: string }) => x.scheduleId === s.id)).toBe(true);

    const a = await patientAccount();
    const b = await call(booking, api.booking.book, { token: a.token, headers: key(), body: { scheduleId: s.id, patientId: a.patientId } });
    expect(b.status, b.text).toBe(201);
    const mine = await call(handler, api.visits.mine, { token: a.token, query: { filter: 'upcoming' } });
    const v = mine.body.items.find((x: { kind: string }) => x.kind === 'video');
    expect(v).toMatchObject({ canJoin: true, patient: { id: a.patientId } });
    const staff = await call(handler, api.visits.staff, { token: doc.token, query: { date } });
    expect(staff.body.items.map((x: { id: string }) => x.id)).toContain(v.id);
    // Listing twice creates nothing twice.
    const again = await call(handler, api.visits.mine, { token: a.token, query: { filter: 'all' } });
    expect(again.body.items.filter((x: { kind: string }) => x.kind === 'video')).toHaveLength(1);
    expect((await join(v.id, doc.token)).body).toMatchObject({ uid: 2, status: 'in_progress' });
  });
});

describe('the web-view room ticket', () => {
  it('is exchanged once for a short session of the same person; a replay is refused', async () => {
    const a = await consentingPatient();
    await putUser({ userId: a.userId, name: '张建国', roles: ['patient'], createdAt: new Date().toISOString() });
    const v = await consultation(a);
    const t = await call(handler, api.visits.roomTicket, { token: a.token, params: { visitId: v.id } });
    expect(t.status).toBe(200);
    expect(t.body.url).toContain(`ticket=${t.body.ticket}`);
    expect(t.body.url).not.toContain(a.token);
    const s = await call(handler, api.visits.roomSession, { body: { ticket: t.body.ticket } });
    expect(s.status, s.text).toBe(200);
    expect(s.body).toMatchObject({ visitId: v.id, user: { id: a.userId } });
    expect((await join(v.id, s.body.accessToken)).status).toBe(200);
    const replay = await call(handler, api.visits.roomSession, { body: { ticket: t.body.ticket } });
    expect(replay.status).toBe(401);
  });
});
