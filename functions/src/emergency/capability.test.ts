/**
 * SOS capabilities are bound to the request and to the device that pressed, against DynamoDB
 * Local through the real handler: the token works only with the device secret it was issued for;
 * another device typing the same number within the window is linked for the dispatcher but sees
 * and changes only its own press; a retried SOS with the same Idempotency-Key returns a token
 * only to the same device secret. Every press is stored first, whatever else happens.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { patientAccount } from '#test/fixtures';
import { seedStations } from '../../../scripts/seed-emergency';
import { handler } from './handler';
import * as store from './store';
import { asCaller, newDevice, press } from './test-fixtures';

beforeAll(() => seedStations());

const phone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
/** On the 十八盘 steps, below 南天门. */
const steps = (o: Partial<{ lat: number; lng: number; accuracy: number }> = {}) => ({ lat: 36.2525, lng: 117.103, accuracy: 12, coordSystem: 'wgs84' as const, capturedAt: new Date().toISOString(), ...o });
/** 28 km away: where an attacker would move the pin. */
const farAway = () => steps({ lat: 36.0, lng: 117.103, accuracy: 5 });
const as = asCaller;
/** A dispatcher of the 120 centre (lib/authority dispatchCentre). */
const dispatcher = () => tokenFor(['dispatcher'], `u_${randomUUID()}`, 'org-taian-120', '孙强 调度员');
const read = (id: string, headers: Record<string, string>) => call(handler, api.emergency.get, { params: { emergencyId: id }, headers });

describe('the capability token is bound to the device that pressed', () => {
  it('works with its device secret only: without it, or with another device’s, nothing is read or changed', async () => {
    const device = newDevice();
    const r = await press({ phone: phone(), location: steps(), complaints: ['fall_injury'], text: '左脚扭伤', device });
    expect(r.status).toBe(201);
    expect(r.body.accessToken).toBeTruthy();
    const params = { emergencyId: r.body.id };
    expect((await read(r.body.id, as(device, r.body.accessToken))).status).toBe(200);
    for (const wrong of [undefined, newDevice()]) {
      const got = await read(r.body.id, as(wrong, r.body.accessToken));
      expect(got.status).toBe(401);
      expect(got.body.error.code).toBe('DEVICE_MISMATCH');
      expect(got.text).not.toContain('左脚扭伤');
      expect((await call(handler, api.emergency.addDetails, { params, headers: as(wrong, r.body.accessToken), body: { text: '已经没事了，不用来了', location: farAway() } })).status).toBe(401);
      expect((await call(handler, api.emergency.cancel, { params, headers: as(wrong, r.body.accessToken), body: {} })).status).toBe(401);
    }
    const stored = (await store.getEmergency(r.body.id))!;
    expect(stored).toMatchObject({ status: 'received', text: '左脚扭伤' });
    expect(stored.timeline.map((t) => t.kind)).toEqual(['created']);
    expect(stored.location!.lat).toBe(36.2525);
    // The server keeps only a digest of the secret.
    expect(JSON.stringify(stored)).not.toContain(device);
  });

  it('a press without a device secret is stored and reaches the console, but gets no capability', async () => {
    const p = phone();
    const r = await press({ phone: p, location: steps(), complaints: ['chest_pain'] });
    expect(r.status).toBe(201);
    expect(r.body.accessToken).toBeUndefined();
    expect(await store.getEmergency(r.body.id)).toMatchObject({ phone: p, status: 'received' });
    const detail = await call(handler, api.emergency.detail, { params: { emergencyId: r.body.id }, token: await dispatcher() });
    expect(detail.status).toBe(200);
  });
});

describe('a second device with the same phone number', () => {
  it('is linked for the dispatcher, but cannot read or move the first request: it sees and changes only its own press', async () => {
    const p = phone();
    const victim = newDevice();
    const first = await press({ phone: p, location: steps(), complaints: ['fall_injury'], text: '十八盘中段，左脚踝扭伤', device: victim });
    const intruder = newDevice();
    const second = await press({ phone: p, location: farAway(), text: '已经没事了，不用来了', device: intruder });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ attached: true, view: 'joined' });
    expect(second.body.id).not.toBe(first.body.id);
    const theirs = as(intruder, second.body.accessToken);

    // Its token opens only its own press …
    expect((await read(first.body.id, theirs)).status).toBe(404);
    const joined = await read(second.body.id, theirs);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ id: second.body.id, view: 'joined', status: 'received', open: true, canCancel: false, text: '已经没事了，不用来了' });
    expect(joined.body.joinedNote).toContain('另一台手机');
    expect(joined.text).not.toContain('十八盘中段');
    expect(joined.text).not.toContain('36.2525');
    expect(joined.body.dispatch).toBeUndefined();

    // … what it adds lands on its own press; it cannot cancel the request.
    const moved = await call(handler, api.emergency.addDetails, {
      params: { emergencyId: second.body.id },
      headers: theirs,
      body: { text: '不用来了', location: { ...farAway(), capturedAt: new Date(Date.now() + 1000).toISOString() } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.view).toBe('joined');
    expect((await call(handler, api.emergency.cancel, { params: { emergencyId: second.body.id }, headers: theirs, body: {} })).status).toBe(403);
    expect((await call(handler, api.emergency.addDetails, { params: { emergencyId: first.body.id }, headers: theirs, body: { text: '不用来了' } })).status).toBe(404);

    // The first request is as the victim left it: location, words, timeline, open.
    const lead = (await store.getEmergency(first.body.id))!;
    expect(lead).toMatchObject({ status: 'received', text: '十八盘中段，左脚踝扭伤', linkedCount: 1 });
    expect(lead.location!.lat).toBe(36.2525);
    expect(lead.timeline.map((t) => t.kind)).toEqual(['created']);
    const victimView = await read(first.body.id, as(victim, first.body.accessToken));
    expect(victimView.body).toMatchObject({ view: 'caller', canCancel: true, text: '十八盘中段，左脚踝扭伤' });
    expect(victimView.text).not.toContain('不用来了');
    expect(victimView.body.location.lat).toBe(36.2525);

    // The dispatcher sees the request where the victim is, and the linked press with its own pin and words.
    const token = await dispatcher();
    const detail = await call(handler, api.emergency.detail, { params: { emergencyId: first.body.id }, token });
    expect(detail.body.location.wgs84.lat).toBe(36.2525);
    expect(detail.body.linked).toHaveLength(1);
    expect(detail.body.linked[0]).toMatchObject({ id: second.body.id, text: '已经没事了，不用来了' });
    expect(detail.body.linked[0].location.wgs84.lat).toBe(36.0);
    expect(detail.body.linked[0].timeline.map((t: { text: string }) => t.text).join()).toContain('不用来了');
    const list = await call(handler, api.emergency.list, { token });
    const row = list.body.items.find((i: { id: string }) => i.id === first.body.id);
    expect(row).toMatchObject({ linkedCount: 1, presses: 1 });
    expect(list.body.items.some((i: { id: string }) => i.id === second.body.id)).toBe(false);
  });

  it('follows the request’s status in its own view, and is told when it has ended', async () => {
    const p = phone();
    const victim = newDevice();
    const first = await press({ phone: p, location: steps(), device: victim });
    const other = newDevice();
    const second = await press({ phone: p, location: steps(), complaints: ['chest_pain'], device: other });
    // A linked press saying it is chest pain makes the request more urgent on the console, never less.
    expect((await store.getEmergency(first.body.id))!.severity).toBe(1);
    await call(handler, api.emergency.act, { params: { emergencyId: first.body.id }, token: await dispatcher(), body: { action: 'dispatch', team: '泰山景区救援队', etaMinutes: 15 } });
    const during = await read(second.body.id, as(other, second.body.accessToken));
    expect(during.body).toMatchObject({ view: 'joined', status: 'dispatched', open: true });
    expect(during.text).not.toContain('泰山景区救援队');
    await call(handler, api.emergency.cancel, { params: { emergencyId: first.body.id }, headers: as(victim, first.body.accessToken), body: {} });
    const after = await read(second.body.id, as(other, second.body.accessToken));
    expect(after.body).toMatchObject({ open: false, statusText: '同一号码的求助已结束' });
    expect((await call(handler, api.emergency.addDetails, { params: { emergencyId: second.body.id }, headers: as(other, second.body.accessToken), body: { text: '还在吗' } })).status).toBe(409);
  });

  it('a logged-in resident’s own second phone joins fully (the same account is the same caller)', async () => {
    const me = await patientAccount('刘游客');
    const phoneA = newDevice();
    const phoneB = newDevice();
    const p = phone();
    const first = await press({ phone: p, location: steps(), patientId: me.patientId, device: phoneA }, { token: me.token });
    const second = await press({ phone: p, location: steps(), patientId: me.patientId, device: phoneB }, { token: me.token });
    expect(second.body).toMatchObject({ id: first.body.id, attached: true, view: 'caller' });
    expect((await read(first.body.id, as(phoneB, second.body.accessToken))).body).toMatchObject({ view: 'caller', canCancel: true });
    // Still bound: phone A's token does not work on phone B.
    expect((await read(first.body.id, as(phoneB, first.body.accessToken))).status).toBe(401);
  });
});

describe('a retried SOS with the same Idempotency-Key', () => {
  it('returns the same request and token to the same device secret', async () => {
    const device = newDevice();
    const key = `sos-${randomUUID()}`;
    const body = { phone: phone(), location: steps(), device };
    const first = await press(body, { key });
    const again = await press(body, { key });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body.id, accessToken: first.body.accessToken });
    expect((await read(first.body.id, as(device, again.body.accessToken))).status).toBe(200);
  });

  it('from another device (or with no device secret) gets no capability: nothing of the first request comes back', async () => {
    const device = newDevice();
    const key = `sos-${randomUUID()}`;
    const p = phone();
    const first = await press({ phone: p, location: steps(), complaints: ['fall_injury'], device }, { key });
    for (const other of [{ device: newDevice() }, {}]) {
      const replay = await press({ phone: p, location: steps(), complaints: ['fall_injury'], ...other }, { key });
      expect(replay.status).toBe(422);
      expect(replay.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(replay.body.accessToken).toBeUndefined();
      expect(replay.text).not.toContain(first.body.accessToken);
      expect(replay.text).not.toContain(first.body.id);
    }
    // The first request is untouched, and its caller still follows it.
    expect((await store.getEmergency(first.body.id))!.timeline.map((t) => t.kind)).toEqual(['created']);
    expect((await read(first.body.id, as(device, first.body.accessToken))).status).toBe(200);
  });
});
