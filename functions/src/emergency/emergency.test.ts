/**
 * The caller's side against DynamoDB Local: an anonymous SOS, its capability token, joining
 * repeated presses, and the request surviving a WebSocket API that fails or hangs. (What another
 * device can and cannot do with the same number or key: capability.test.ts; floods: flood.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { api, type CreateEmergencyRequest } from '@hospital/shared';
import { db, table } from '#lib/table';
import { registerConnection } from '#lib/realtime';
import { call, tokenFor } from '#test/http';
import { patientAccount } from '#test/fixtures';
import { seedStations } from '../../../scripts/seed-emergency';
import { connect } from '../realtime/handler';
import { handler } from './handler';
import * as store from './store';
import { asCaller, newDevice, press } from './test-fixtures';

beforeAll(() => seedStations());

const phone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const onTheMountain = () => ({ lat: 36.2525, lng: 117.103, accuracy: 12, coordSystem: 'wgs84' as const, capturedAt: new Date().toISOString() });
const key = () => `sos-${randomUUID()}`;
/** A press from its own address and (unless one is given) its own device. */
const sos = (body: CreateEmergencyRequest, o: { token?: string; key?: string } = {}) => press({ device: newDevice(), ...body }, o);
/** The capability of a press, as the device that pressed sends it. */
const as = asCaller;
/** A dispatcher of the 120 centre (lib/authority dispatchCentre). */
const dispatcher = () => tokenFor(['dispatcher'], `u_${randomUUID()}`, 'org-taian-120', '孙强 调度员');

describe('an anonymous call for help', () => {
  it('is stored with the phone and answered with its id and a capability token', async () => {
    const p = phone();
    const device = newDevice();
    const r = await sos({ phone: p, location: onTheMountain(), complaints: ['fall_injury'], text: '左脚踝扭伤，走不了', device });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'received', attached: false, view: 'caller', topic: `emergency:${r.body.id}` });
    const stored = await store.getEmergency(r.body.id);
    expect(stored).toMatchObject({ phone: p, status: 'received', severity: 2, complaints: ['fall_injury'], presses: 1 });
    expect(stored!.userId).toBeUndefined();

    const mine = await call(handler, api.emergency.get, { params: { emergencyId: r.body.id }, headers: as(device, r.body.accessToken) });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: r.body.id, status: 'received', open: true, canCancel: true, phoneMasked: `${p.slice(0, 3)}****${p.slice(-4)}` });
    expect(mine.text).not.toContain(p);
  });

  it('location first: a press with only its position (no number, no words) is stored; the number and what happened come after as details', async () => {
    const device = newDevice();
    const r = await sos({ location: onTheMountain(), device });
    expect(r.status).toBe(201);
    expect(await store.getEmergency(r.body.id)).toMatchObject({ status: 'received', location: { accuracy: 12 } });
    expect((await store.getEmergency(r.body.id))!.phone).toBeUndefined();
    const h = as(device, r.body.accessToken);
    const view = await call(handler, api.emergency.get, { params: { emergencyId: r.body.id }, headers: h });
    expect(view.body.phoneMasked).toBeUndefined();
    const later = await call(handler, api.emergency.addDetails, { params: { emergencyId: r.body.id }, headers: h, body: { phone: '+44 7400 123456', complaints: ['fall_injury'], place: '十八盘' } });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ phoneMasked: '+44******3456', place: '十八盘', complaints: ['fall_injury'] });
    const desk = await call(handler, api.emergency.detail, { params: { emergencyId: r.body.id }, token: await dispatcher() });
    expect(desk.body).toMatchObject({ phone: '+447400123456', foreignCaller: true, phoneCountry: { code: 'GB', callingCode: '+44', label: '英国（GB，+44）' } });
    // A second press from the same device with no number joins the same request.
    const again = await sos({ device }, { key: key() });
    expect(again.body).toMatchObject({ id: r.body.id, attached: true });
    // Even with nothing at all, a press is stored (never refused for missing details).
    expect((await sos({})).status).toBe(201);
  });

  it('accepts international numbers (E.164) and refuses one nobody can call back, naming body.phone', async () => {
    const us = await sos({ phone: '+1 201-555-0123', location: onTheMountain() });
    expect(us.status).toBe(201);
    expect(await store.getEmergency(us.body.id)).toMatchObject({ phone: '+12015550123', phoneCountry: 'US', foreign: true });
    const cn = await sos({ phone: '+86 139 0000 1111', location: onTheMountain() });
    expect(await store.getEmergency(cn.body.id)).toMatchObject({ phone: '13900001111', phoneCountry: 'CN', foreign: false });
    const bad = await sos({ phone: '12345', location: onTheMountain() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ path: 'body.phone', message: expect.stringContaining('电话号码') }]);
  });

  it('a press without a location may say where in words or choose a station', async () => {
    const byStation = await sos({ phone: phone(), stationId: 'st-zhongtianmen', place: '中天门索道站旁', complaints: ['breathing'] });
    expect(byStation.status).toBe(201);
    const badStation = await sos({ phone: phone(), stationId: 'st-nowhere' });
    expect(badStation.body.error.fields[0].path).toBe('body.stationId');
  });

  it('the capability opens only its own emergency; no token is 401, a forged one 401', async () => {
    const device = newDevice();
    const a = await sos({ phone: phone(), location: onTheMountain(), device });
    const b = await sos({ phone: phone(), location: onTheMountain() });
    const cross = await call(handler, api.emergency.get, { params: { emergencyId: b.body.id }, headers: as(device, a.body.accessToken) });
    expect(cross.status).toBe(404);
    expect((await call(handler, api.emergency.get, { params: { emergencyId: a.body.id } })).status).toBe(401);
    expect((await call(handler, api.emergency.get, { params: { emergencyId: a.body.id }, headers: as(device, 'x.y.z') })).status).toBe(401);
    // Not an access token either: the dispatch console refuses it.
    const asStaff = await call(handler, api.emergency.list, { headers: as(device, a.body.accessToken) });
    expect(asStaff.status).toBe(401);
  });

  it('a retry with the same Idempotency-Key returns the same request, stored once', async () => {
    const p = phone();
    const k = key();
    const body = { phone: p, location: onTheMountain(), device: newDevice() };
    const first = await sos(body, { key: k });
    const again = await sos(body, { key: k });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const sameDay = await db.send(new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', FilterExpression: 'phone = :ph', ExpressionAttributeValues: { ':p': 'EMERGENCIES#OPEN', ':ph': p } }));
    expect(sameDay.Items).toHaveLength(1);
  });

  it('the caller adds details and a better location, and may cancel; after that nothing changes', async () => {
    const device = newDevice();
    const r = await sos({ phone: phone(), location: { ...onTheMountain(), accuracy: 80 }, complaints: ['other'], device });
    const h = as(device, r.body.accessToken);
    const params = { emergencyId: r.body.id };
    const better = { ...onTheMountain(), accuracy: 8, capturedAt: new Date(Date.now() + 1000).toISOString() };
    const added = await call(handler, api.emergency.addDetails, { params, headers: h, body: { text: '胸口很闷', complaints: ['chest_pain'], location: better } });
    expect(added.status).toBe(200);
    expect(added.body.complaints).toEqual(['chest_pain', 'other']);
    expect(added.body.location.accuracy).toBe(8);
    expect(added.body.timeline.map((t: { kind: string }) => t.kind)).toEqual(['created', 'details']);
    expect((await store.getEmergency(r.body.id))!.severity).toBe(1);

    const cancelled = await call(handler, api.emergency.cancel, { params, headers: h, body: { reason: '已经好了' } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', open: false });
    const late = await call(handler, api.emergency.addDetails, { params, headers: h, body: { text: '还在吗' } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('EMERGENCY_STATE');
    expect((await call(handler, api.emergency.cancel, { params, headers: h, body: {} })).status).toBe(409);
  });
});

describe('a logged-in resident', () => {
  it('is known, chooses a person on the account, and sees only their own requests', async () => {
    const me = await patientAccount('张建国');
    const r = await sos({ location: onTheMountain(), complaints: ['chest_pain'], patientId: me.patientId }, { token: me.token });
    expect(r.status).toBe(201);
    // The phone comes from the person on the account.
    expect(await store.getEmergency(r.body.id)).toMatchObject({ userId: me.userId, patientId: me.patientId, patientName: '张建国', phone: '13800138000' });
    const own = await call(handler, api.emergency.get, { params: { emergencyId: r.body.id }, token: me.token });
    expect(own.status).toBe(200);

    const other = await patientAccount('李四');
    expect((await call(handler, api.emergency.get, { params: { emergencyId: r.body.id }, token: other.token })).status).toBe(404);
    // Someone else's person cannot be named in a press.
    const notMine = await sos({ location: onTheMountain(), patientId: me.patientId }, { token: other.token });
    expect(notMine.status).toBe(404);
    // A dispatcher's login is not the caller's.
    expect((await call(handler, api.emergency.get, { params: { emergencyId: r.body.id }, token: await dispatcher() })).status).toBe(404);
  });

  it('choosing a person needs a login', async () => {
    const r = await sos({ phone: phone(), location: onTheMountain(), patientId: 'p-someone' });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('body.patientId');
  });
});

describe('repeated presses from one phone', () => {
  it('from the same phone (device) within 2 minutes join the open request instead of creating a second one', async () => {
    const p = phone();
    const device = newDevice();
    const first = await sos({ phone: p, location: onTheMountain(), complaints: ['fall_injury'], device });
    const second = await sos({ phone: p, location: { ...onTheMountain(), capturedAt: new Date(Date.now() + 5000).toISOString(), accuracy: 5 }, complaints: ['breathing'], text: '喘不上气', device });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ id: first.body.id, attached: true, view: 'caller' });
    const lead = (await store.getEmergency(first.body.id))!;
    expect(lead).toMatchObject({ presses: 2, severity: 1, status: 'received' });
    expect(lead.complaints.sort()).toEqual(['breathing', 'fall_injury']);
    expect(lead.location!.accuracy).toBe(5);
    expect(lead.timeline.map((t) => t.kind)).toEqual(['created', 'repeat']);
    // The same device pressing again is the same caller: it follows the request and may cancel it.
    const view = await call(handler, api.emergency.get, { params: { emergencyId: first.body.id }, headers: as(device, second.body.accessToken) });
    expect(view.body).toMatchObject({ view: 'caller', canCancel: true });
  });

  it('pressed 8 times at once from one phone make exactly one open request', async () => {
    const p = phone();
    const device = newDevice();
    const results = await Promise.all(Array.from({ length: 8 }, () => sos({ phone: p, location: onTheMountain(), complaints: ['other'], device })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.body.attached)).toHaveLength(1);
    const open = await db.send(new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', FilterExpression: 'phone = :ph', ExpressionAttributeValues: { ':p': 'EMERGENCIES#OPEN', ':ph': p } }));
    expect(open.Items).toHaveLength(1);
    expect((await store.getEmergency([...ids][0]))!.presses).toBe(8);
  });

  it('after the first request has ended, a new press is a new request', async () => {
    const p = phone();
    const device = newDevice();
    const first = await sos({ phone: p, location: onTheMountain(), device });
    await call(handler, api.emergency.cancel, { params: { emergencyId: first.body.id }, headers: as(device, first.body.accessToken), body: {} });
    const again = await sos({ phone: p, location: onTheMountain(), device });
    expect(again.body.attached).toBe(false);
    expect(again.body.id).not.toBe(first.body.id);
    // And a third press joins the new one.
    expect((await sos({ phone: p, location: onTheMountain(), device })).body.id).toBe(again.body.id);
  });

  it('the lock lapses after the window', async () => {
    const p = phone();
    expect(await store.takePhoneLock(p, 'em-a', 120)).toEqual({ taken: true });
    expect(await store.takePhoneLock(p, 'em-b', 120)).toEqual({ taken: false, holder: 'em-a' });
    expect(await store.takePhoneLock(p, 'em-c', 120, undefined, Date.now() + 121_000)).toEqual({ taken: true });
  });

  it('different phones are different requests', async () => {
    const a = await sos({ phone: phone(), location: onTheMountain() });
    const b = await sos({ phone: phone(), location: onTheMountain() });
    expect(a.body.id).not.toBe(b.body.id);
  });
});

describe('when the WebSocket API fails', () => {
  let server: Server;
  let posts = 0;
  let mode: 'fail' | 'hang' | 'ok' = 'fail';
  const delivered: Record<string, unknown[]> = {};
  const saved = process.env.WEBSOCKET_ENDPOINT;

  beforeAll(async () => {
    server = createServer((req, res) => {
      posts++;
      const id = decodeURIComponent(req.url!.split('/@connections/')[1] ?? '');
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (mode === 'hang') return; // never answers
        if (mode === 'fail') return res.writeHead(500).end('internal');
        (delivered[id] ??= []).push(JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    process.env.WEBSOCKET_ENDPOINT = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await registerConnection(`console-${randomUUID()}`, ['role:dispatcher']);
  });
  afterAll(async () => {
    process.env.WEBSOCKET_ENDPOINT = saved;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('the request is still stored and the console finds it by polling', async () => {
    mode = 'fail';
    const before = posts;
    const r = await sos({ phone: phone(), location: onTheMountain(), complaints: ['chest_pain'] });
    expect(r.status).toBe(201);
    expect(posts).toBeGreaterThan(before); // the push was tried, and failed
    const list = await call(handler, api.emergency.list, { token: await dispatcher() });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(r.body.id);
  });

  it('a push that never answers does not hold the caller: the id comes back within 2.5 s', async () => {
    mode = 'hang';
    const started = Date.now();
    const r = await sos({ phone: phone(), location: onTheMountain() });
    expect(r.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await store.getEmergency(r.body.id)).toBeDefined();
  });

  it('when it works, the console and the caller are pushed each change', async () => {
    mode = 'ok';
    const consoleConn = `console-${randomUUID()}`;
    await registerConnection(consoleConn, ['role:dispatcher']);
    const r = await sos({ phone: phone(), location: onTheMountain() });
    // The caller's socket, opened with the capability token, is on the emergency's topic only.
    const callerConn = `caller-${randomUUID()}`;
    const opened = await connect({ requestContext: { connectionId: callerConn }, queryStringParameters: { token: r.body.accessToken } } as never);
    expect(opened.statusCode).toBe(200);
    expect(delivered[consoleConn]).toEqual([{ type: 'emergency.created', data: expect.objectContaining({ id: r.body.id, status: 'received' }) }]);

    await call(handler, api.emergency.act, { params: { emergencyId: r.body.id }, token: await dispatcher(), body: { action: 'acknowledge' } });
    expect(delivered[callerConn]).toEqual([{ type: 'emergency.updated', data: expect.objectContaining({ id: r.body.id, status: 'acknowledged' }) }]);
    expect(delivered[consoleConn]).toHaveLength(2);
  });
});
