/**
 * The room token (what the web-view's one-time ticket is exchanged for): accepted only by the
 * routes the H5 room calls (`visits.get`, `visits.join`) for its own visit, refused by every
 * other route of the contract (generated from it), and ended with the session it came from.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, routeKey, toLocalIso, type RouteDef } from '@hospital/shared';
import { issueAccessToken, issueRefreshToken, REFRESH_TTL_SECONDS } from '#lib/tokens';
import { call, tokenFor } from '#test/http';
import { patientAccount } from '#test/fixtures';
import { handler as auth } from '../auth/handler';
import { createSession, putUser } from '../auth/store';
import { putDepartment, putDoctor, putOrg } from '../catalog/store';
import { handler as records } from '../records/handler';
import { handler } from './handler';

const tag = randomUUID().slice(0, 8);
const STATION = `org-room-st-${tag}`;
const CITY = `org-room-city-${tag}`;
interface Doc { userId: string; doctorId: string; token: string }
let host: Doc, specialist: Doc;

async function org(id: string, kind: 'hospital' | 'station') {
  await putOrg({ id, name: kind === 'station' ? '南天门工作站' : '市中心医院', kind, level: '', address: '', phone: '', intro: '', order: 90, location: { gcj02: { lat: 36, lng: 117 }, wgs84: { lat: 36, lng: 117 } } });
  await putDepartment({ id: `dept-${id}`, orgId: id, name: '远程诊室', intro: '', floor: '', order: 1 });
}

async function doctor(orgId: string, name: string): Promise<Doc> {
  const userId = `u-doc-${randomUUID()}`;
  const doctorId = `doc-${randomUUID().slice(0, 12)}`;
  await putUser({ userId, name, roles: [], memberships: [{ orgId, roles: ['doctor'] }], createdAt: new Date().toISOString() });
  await putDoctor({ id: doctorId, userId, orgId, deptId: `dept-${orgId}`, name, title: '主任医师', specialty: '心内科', intro: '', fee: 0, order: 1 });
  return { userId, doctorId, token: await tokenFor(['doctor'], userId, orgId, name) };
}

beforeAll(async () => {
  await org(STATION, 'station');
  await org(CITY, 'hospital');
  host = await doctor(STATION, '赵山');
  specialist = await doctor(CITY, '李明华');
});

/** A patient with a real session (so its logout can be tried), and a visit of theirs. */
async function patientWithVisit() {
  const a = await patientAccount('张建国');
  await putUser({ userId: a.userId, name: '张建国', roles: ['patient'], createdAt: new Date().toISOString() });
  const g = await call(records, api.records.grantConsent, {
    token: a.token,
    body: { patientId: a.patientId, grantee: { type: 'org', id: STATION }, purpose: 'consultation', scopes: ['record', 'reports'], days: 1 },
  });
  expect(g.status, g.text).toBe(201);
  const v = await call(handler, api.visits.create, {
    token: host.token,
    headers: { 'idempotency-key': `k-${randomUUID()}` },
    body: { patientId: a.patientId, participants: [specialist.doctorId], reason: '胸闷气短', scheduledAt: toLocalIso(Date.now()), durationMinutes: 30 },
  });
  expect(v.status, v.text).toBe(201);
  const sessionId = await createSession(a.userId, REFRESH_TTL_SECONDS);
  const token = (await issueAccessToken({ userId: a.userId, roles: ['patient'], memberships: [], name: '张建国', sessionId })).token;
  return { ...a, token, sessionId, visitId: v.body.id as string };
}

async function roomToken(token: string, visitId: string) {
  const t = await call(handler, api.visits.roomTicket, { token, params: { visitId } });
  expect(t.status, t.text).toBe(200);
  const s = await call(handler, api.visits.roomSession, { body: { ticket: t.body.ticket } });
  expect(s.status, s.text).toBe(200);
  return s.body.accessToken as string;
}

describe('the room token', () => {
  it('opens its own visit: the status and the video join, for the patient and for a doctor', async () => {
    const p = await patientWithVisit();
    const mine = await roomToken(p.token, p.visitId);
    const got = await call(handler, api.visits.get, { token: mine, params: { visitId: p.visitId } });
    expect(got.status, got.text).toBe(200);
    expect(got.body.id).toBe(p.visitId);
    expect((await call(handler, api.visits.join, { token: mine, params: { visitId: p.visitId } })).status).toBe(200);
    const doc = await roomToken(specialist.token, p.visitId);
    expect((await call(handler, api.visits.join, { token: doc, params: { visitId: p.visitId } })).status).toBe(200);
  });

  it('is refused for another visit, even one its holder takes part in', async () => {
    const p = await patientWithVisit();
    const q = await patientWithVisit();
    const forP = await roomToken(specialist.token, p.visitId);
    const other = await call(handler, api.visits.get, { token: forP, params: { visitId: q.visitId } });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('ROOM_TOKEN_SCOPE');
    // The holder's own access token still opens it: the refusal is the token's scope.
    expect((await call(handler, api.visits.get, { token: specialist.token, params: { visitId: q.visitId } })).status).toBe(200);
  });

  it('ends with the session the ticket was asked from', async () => {
    const p = await patientWithVisit();
    const t = await roomToken(p.token, p.visitId);
    await call(auth, api.auth.logout, { body: { refreshToken: await issueRefreshToken(p.userId, p.sessionId) } });
    const r = await call(handler, api.visits.join, { token: t, params: { visitId: p.visitId } });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SESSION_REVOKED');
  });

  it('is not an access token: routes that verify tokens themselves refuse it', async () => {
    const p = await patientWithVisit();
    const t = await roomToken(p.token, p.visitId);
    const { connect } = await import('../realtime/handler');
    const ws = await connect({ queryStringParameters: { token: t }, requestContext: { connectionId: `c-${randomUUID()}` } } as never);
    expect(ws.statusCode).toBe(401);
  });
});

describe('every other route of the contract refuses the room token (403 ROOM_TOKEN_SCOPE)', () => {
  let token = '';
  let visitId = '';
  beforeAll(async () => {
    const p = await patientWithVisit();
    visitId = p.visitId;
    token = await roomToken(p.token, p.visitId);
  });

  const guarded = Object.entries(api).flatMap(([feature, routes]) =>
    Object.entries(routes as Record<string, RouteDef>)
      .filter(([, d]) => Array.isArray(d.access))
      .map(([name, d]) => [`${feature}.${name}`, feature, d] as const),
  );

  it('the routes that accept it are the room page’s two', () => {
    expect(guarded.filter(([, , d]) => d.roomToken).map(([n]) => n).sort()).toEqual(['visits.get', 'visits.join']);
  });

  it.each(guarded)('%s', async (name, feature, d) => {
    const h = feature === 'visits' ? handler : (await import(`../${feature}/handler.ts`)).handler;
    const params = Object.fromEntries([...d.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], m[1] === 'visitId' && d.roomToken ? `${visitId}-other` : 'x1']));
    const r = await call(h, d, { params, body: {}, token, headers: { 'idempotency-key': `k-${randomUUID()}` } });
    expect(r.status, `${routeKey(d)} ${r.text}`).toBe(403);
    expect(r.body.error.code, name).toBe('ROOM_TOKEN_SCOPE');
  });
});
