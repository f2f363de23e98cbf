/**
 * The dispatch console: who may use it, the order of the list, the detail (both datums, nearest
 * stations, the health summary under an audited emergency grant), and every action's rule.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type DispatcherActionRequest } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { patientAccount } from '#test/fixtures';
import { seedStations } from '../../../scripts/seed-emergency';
import { handler as records } from '../records/handler';
import { handler } from './handler';
import { escalateAfterSeconds } from './dispatch';
import { newDevice, press } from './test-fixtures';

beforeAll(() => seedStations());

const phone = () => `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const here = (o: Partial<{ lat: number; lng: number; coordSystem: 'wgs84' | 'gcj02' }> = {}) => ({ lat: 36.2525, lng: 117.103, accuracy: 12, coordSystem: 'wgs84' as const, capturedAt: new Date().toISOString(), ...o });
const sos = async (body: Record<string, unknown>, token?: string) => {
  const device = newDevice();
  const r = await press({ phone: phone(), location: here(), device, ...body }, { token });
  expect(r.status).toBe(201);
  return { ...(r.body as { id: string; accessToken: string }), device };
};
/** A dispatcher of the 120 centre (lib/authority dispatchCentre). */
const dispatcher = () => tokenFor(['dispatcher'], `u_${randomUUID()}`, 'org-taian-120', '孙强 调度员');
const act = async (id: string, body: DispatcherActionRequest, token?: string) =>
  call(handler, api.emergency.act, { params: { emergencyId: id }, token: token ?? (await dispatcher()), body });

describe('who may use the console', () => {
  it('only dispatchers list and read emergencies; patients, doctors and admins are refused', async () => {
    for (const role of ['patient', 'doctor', 'nurse', 'admin'] as const) {
      const t = await tokenFor([role]);
      expect((await call(handler, api.emergency.list, { token: t })).status).toBe(403);
      expect((await call(handler, api.emergency.detail, { params: { emergencyId: 'em-x' }, token: t })).status).toBe(403);
      expect((await call(handler, api.emergency.act, { params: { emergencyId: 'em-x' }, token: t, body: { action: 'acknowledge' } })).status).toBe(403);
    }
    expect((await call(handler, api.emergency.list)).status).toBe(401);
  });

  it('a caller cannot act as a dispatcher with their capability token', async () => {
    const e = await sos({});
    const r = await call(handler, api.emergency.act, { params: { emergencyId: e.id }, headers: { authorization: `Bearer ${e.accessToken}` }, body: { action: 'close' } });
    expect(r.status).toBe(401);
  });

  it('only the platform admin adds stations (a hospital admin or a dispatcher may not)', async () => {
    const body = { name: '玉皇顶救护点', kind: 'rescue', lat: 36.2575, lng: 117.1075, coordSystem: 'wgs84' } as const;
    expect((await call(handler, api.emergency.addStation, { body, token: await dispatcher() })).status).toBe(403);
    expect((await call(handler, api.emergency.addStation, { body, token: await tokenFor(['admin'], undefined, 'org-city-hospital') })).status).toBe(403);
    const added = await call(handler, api.emergency.addStation, { body, token: await tokenFor(['platform_admin']) });
    expect(added.status).toBe(201);
    expect(added.body.wgs84).toEqual({ lat: 36.2575, lng: 117.1075 });
    const listed = await call(handler, api.emergency.stations);
    expect(listed.body.items.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['南天门急救站', '泰安市中心医院急诊科', '玉皇顶救护点']));
  });

  it('a station read off a Chinese map (GCJ-02) is stored in WGS-84', async () => {
    const r = await call(handler, api.emergency.addStation, { body: { name: '测试点', kind: 'rescue', lat: 36.2575, lng: 117.1075, coordSystem: 'gcj02' }, token: await tokenFor(['platform_admin']) });
    expect(r.body.gcj02.lat).toBeCloseTo(36.2575, 6);
    expect(r.body.wgs84.lat).not.toBeCloseTo(36.2575, 4);
  });
});

describe('the list and the detail', () => {
  it('lists open emergencies most severe first, then newest; with the nearest station', async () => {
    const token = await dispatcher();
    const minor = await sos({ complaints: ['other'] });
    const chest = await sos({ complaints: ['chest_pain'] });
    const fall = await sos({ complaints: ['fall_injury'] });
    const r = await call(handler, api.emergency.list, { token });
    const ids = r.body.items.map((i: { id: string }) => i.id);
    expect(ids.indexOf(chest.id)).toBeLessThan(ids.indexOf(fall.id));
    expect(ids.indexOf(fall.id)).toBeLessThan(ids.indexOf(minor.id));
    const row = r.body.items.find((i: { id: string }) => i.id === chest.id);
    expect(row.nearest).toMatchObject({ id: 'st-nantianmen', name: '南天门急救站', direction: '南' });
    const sev = r.body.items.map((i: { severity: number }) => i.severity);
    expect(sev).toEqual([...sev].sort((a, b) => a - b));
  });

  it('shows the location in both datums with map links, and the caller phone unmasked', async () => {
    const p = phone();
    const gcj = { lat: 36.2538, lng: 117.1089 }; // what WeChat reports near the same spot
    const e = await sos({ phone: p, location: here({ ...gcj, coordSystem: 'gcj02' }) });
    const r = await call(handler, api.emergency.detail, { params: { emergencyId: e.id }, token: await dispatcher() });
    expect(r.status).toBe(200);
    expect(r.body.phone).toBe(p);
    expect(r.body.location.gcj02).toEqual(gcj);
    expect(r.body.location.wgs84.lat).toBeLessThan(gcj.lat);
    expect(r.body.location.mapLinks.amap).toContain(`position=${gcj.lng},${gcj.lat}`);
    expect(r.body.nearestStations[0].name).toBe('南天门急救站');
    expect(r.body.timeline[0]).toMatchObject({ kind: 'created' });
    expect(r.body.caller.known).toBe(false);
  });

  it("reads the person's health summary under the emergency grant, audited; not after it ends", async () => {
    const me = await patientAccount('王小游');
    await call(records, api.records.putRecord, {
      params: { patientId: me.patientId },
      token: me.token,
      body: { bloodType: 'O', allergies: [{ substance: '青霉素' }], conditions: [{ name: '哮喘' }], medications: [{ name: '沙丁胺醇气雾剂' }] },
    });
    const e = await sos({ patientId: me.patientId, complaints: ['breathing'] }, me.token);
    const token = await dispatcher();
    const d = await call(handler, api.emergency.detail, { params: { emergencyId: e.id }, token });
    expect(d.body.caller).toMatchObject({ known: true, patient: { id: me.patientId, name: '王小游' } });
    expect(d.body.healthSummary).toMatchObject({ allergies: ['青霉素'], conditions: ['哮喘'], medications: ['沙丁胺醇气雾剂'] });
    const log = await call(records, api.records.accessLog, { params: { patientId: me.patientId }, token: me.token });
    expect(log.body.entries).toContainEqual(expect.objectContaining({ actorRole: 'dispatcher', purpose: 'emergency', outcome: 'allowed', resource: `record:emergency:${e.id}` }));

    await act(e.id, { action: 'acknowledge' }, token);
    await act(e.id, { action: 'close', reason: '电话指导用药后缓解' }, token);
    const after = await call(handler, api.emergency.detail, { params: { emergencyId: e.id }, token });
    expect(after.body.healthSummary).toBeUndefined();
    expect(after.body.healthSummaryNote).toContain('已结束');
    // The grant is revoked: the records route refuses an emergency read now.
    expect((await call(records, api.records.staffRecord, { params: { patientId: me.patientId }, query: { purpose: 'emergency' }, token })).status).toBe(403);
  });
});

describe('dispatcher actions', () => {
  it('acknowledge → dispatch (team, ETA) → arrived → closed, each on the timeline with its note, and the caller sees the status', async () => {
    const e = await sos({ complaints: ['fall_injury'] });
    const token = await dispatcher();
    expect((await act(e.id, { action: 'acknowledge', note: '已回拨，确认在十八盘' }, token)).body.status).toBe('acknowledged');
    const sent = await act(e.id, { action: 'dispatch', team: '泰山景区救援队', etaMinutes: 15, note: '担架两副' }, token);
    expect(sent.status).toBe(200);
    expect(sent.body.dispatch).toMatchObject({ team: '泰山景区救援队', etaMinutes: 15 });
    expect(Date.parse(sent.body.dispatch.eta) - Date.parse(sent.body.dispatch.dispatchedAt)).toBe(15 * 60_000);

    const seen = await call(handler, api.emergency.get, { params: { emergencyId: e.id }, headers: { authorization: `Bearer ${e.accessToken}`, 'x-device-secret': e.device } });
    expect(seen.body).toMatchObject({ status: 'dispatched', dispatch: { team: '泰山景区救援队', etaMinutes: 15 } });
    // Dispatcher notes stay on the console.
    expect(seen.text).not.toContain('担架两副');

    expect((await act(e.id, { action: 'arrive' }, token)).body.status).toBe('arrived');
    const closed = await act(e.id, { action: 'close', reason: '已送医', note: '送泰安市中心医院' }, token);
    expect(closed.body.status).toBe('closed');
    const told = await call(handler, api.emergency.get, { params: { emergencyId: e.id }, headers: { authorization: `Bearer ${e.accessToken}`, 'x-device-secret': e.device } });
    expect(told.body.timeline.at(-1)).toMatchObject({ kind: 'close', text: '调度员结束了本次求助：已送医' });
    expect(told.text).not.toContain('送泰安市中心医院');
    expect(closed.body.timeline.map((t: { kind: string }) => t.kind)).toEqual(['created', 'acknowledge', 'dispatch', 'arrive', 'close']);
    expect(closed.body.timeline[2]).toMatchObject({ note: '担架两副', by: '孙强 调度员' });

    const open = await call(handler, api.emergency.list, { token });
    expect(open.body.items.map((i: { id: string }) => i.id)).not.toContain(e.id);
    const recent = await call(handler, api.emergency.list, { token, query: { scope: 'recent' } });
    expect(recent.body.items.find((i: { id: string }) => i.id === e.id)?.status).toBe('closed');
  });

  it('refuses what the state does not allow with 409 EMERGENCY_STATE', async () => {
    const e = await sos({});
    const close = await act(e.id, { action: 'close', reason: '已处理' });
    expect(close.status).toBe(409);
    expect(close.body.error.code).toBe('EMERGENCY_STATE');
    expect((await act(e.id, { action: 'arrive' })).status).toBe(409);
    await act(e.id, { action: 'acknowledge' });
    expect((await act(e.id, { action: 'acknowledge' })).status).toBe(409);
    expect((await act(e.id, { action: 'false_alarm', reason: '儿童误触' })).body.status).toBe('false_alarm');
    expect((await act(e.id, { action: 'dispatch', team: '救护车', etaMinutes: 5 })).status).toBe(409);
    expect((await act('em-missing', { action: 'acknowledge' })).status).toBe(404);
  });

  it('dispatching again changes the team and ETA', async () => {
    const e = await sos({});
    await act(e.id, { action: 'dispatch', team: '中天门救护点', etaMinutes: 30 });
    const again = await act(e.id, { action: 'dispatch', team: '南天门急救站', etaMinutes: 10 });
    expect(again.body).toMatchObject({ status: 'dispatched', dispatch: { team: '南天门急救站', etaMinutes: 10 } });
  });

  it('ending (结束, 误报) needs a reason, which the caller reads; a dispatch needs a team and an ETA (400 by field)', async () => {
    const e = await sos({});
    for (const action of ['false_alarm', 'close'] as const) {
      const r = await call(handler, api.emergency.act, { params: { emergencyId: e.id }, token: await dispatcher(), body: { action, note: '只有备注' } });
      expect(r.status).toBe(400);
      expect(r.body.error.fields[0].path).toBe('body.reason');
    }
    const d = await call(handler, api.emergency.act, { params: { emergencyId: e.id }, token: await dispatcher(), body: { action: 'dispatch', team: '', etaMinutes: 0 } });
    expect(d.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.etaMinutes', 'body.team']);
  });

  it('two dispatchers acknowledging at once: one wins, the other is told it changed', async () => {
    const e = await sos({});
    const [a, b] = await Promise.all([act(e.id, { action: 'acknowledge' }), act(e.id, { action: 'acknowledge' })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const d = await call(handler, api.emergency.detail, { params: { emergencyId: e.id }, token: await dispatcher() });
    expect(d.body.timeline.filter((t: { kind: string }) => t.kind === 'acknowledge')).toHaveLength(1);
  });

  it('a repeated action with the same Idempotency-Key is applied once and replayed', async () => {
    const e = await sos({});
    const token = await dispatcher();
    const headers = { 'idempotency-key': `act-${randomUUID()}` };
    const body = { action: 'dispatch', team: '红门救护点', etaMinutes: 20 } as const;
    const first = await call(handler, api.emergency.act, { params: { emergencyId: e.id }, token, body, headers });
    const again = await call(handler, api.emergency.act, { params: { emergencyId: e.id }, token, body, headers });
    expect(again.status).toBe(200);
    expect(again.body.timeline).toEqual(first.body.timeline);
  });
});

describe('escalation setting', () => {
  it('comes from SOS_ESCALATE_AFTER_SECONDS (5 s to 1 h), else 90 s, and the console list carries it', async () => {
    expect(escalateAfterSeconds({ SOS_ESCALATE_AFTER_SECONDS: '30' })).toBe(30);
    expect(escalateAfterSeconds({})).toBe(90);
    expect(escalateAfterSeconds({ SOS_ESCALATE_AFTER_SECONDS: '2' })).toBe(90);
    expect(escalateAfterSeconds({ SOS_ESCALATE_AFTER_SECONDS: 'soon' })).toBe(90);
    const r = await call(handler, api.emergency.list, { token: await dispatcher() });
    expect(r.body.escalateAfterSeconds).toBe(escalateAfterSeconds());
  });
});
