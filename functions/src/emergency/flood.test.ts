/**
 * A flood of anonymous SOS against DynamoDB Local through the real handler, from addresses the
 * gateway reports: nothing is refused and everything is stored; the flooding source's requests
 * are collapsed into one group on the console, after every request from a normal source; a
 * dispatcher dismisses the group in one action; a request a dispatcher took, or one that came
 * after the review, stays.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, SOS_FLOOD_THRESHOLD, type CreateEmergencyRequest } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { patientAccount } from '#test/fixtures';
import { seedStations } from '../../../scripts/seed-emergency';
import { countedAddress, groupFloods, sourcesOf } from './flood';
import { handler } from './handler';
import * as store from './store';
import { press } from './test-fixtures';

beforeAll(() => seedStations());

const octet = () => 1 + Math.floor(Math.random() * 250);
const address = () => `203.0.${octet()}.${octet()}`;
const phone = (prefix = '136') => `${prefix}${String(Math.floor(Math.random() * 10 ** (11 - prefix.length))).padStart(11 - prefix.length, '0')}`;
const device = () => `dev-${randomUUID()}`;
const here = () => ({ lat: 36.2525, lng: 117.103, accuracy: 12, coordSystem: 'wgs84' as const, capturedAt: new Date().toISOString() });
/** A dispatcher of the 120 centre (lib/authority dispatchCentre). */
const dispatcher = () => tokenFor(['dispatcher'], `u_${randomUUID()}`, 'org-taian-120', '孙强 调度员');

/** A press as the gateway delivers it, from `ip`. */
const pressFrom = (ip: string, body: CreateEmergencyRequest, token?: string) => press(body, { ip, token }) as Promise<{ status: number; body: { id: string; accessToken?: string } }>;

type ListBody = {
  items: { id: string; severity: number }[];
  floods: { id: string; source: string; label: string; count: number; open: number; lastAt: string; members: { id: string; suspectedFlood?: boolean; createdAt: string }[] }[];
};
const console_ = async (token: string, scope: 'open' | 'recent' = 'open') => (await call(handler, api.emergency.list, { token, query: { scope } })).body as ListBody;

describe('sources of an anonymous press', () => {
  it('are its device, its address (IPv6 by /64; never loopback) and its number’s block', () => {
    expect(countedAddress('127.0.0.1')).toBeUndefined();
    expect(countedAddress('::1')).toBeUndefined();
    expect(countedAddress('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(countedAddress('2001:db8:1:2:aaaa::1')).toBe(countedAddress('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee'));
    const s = sourcesOf({ device: 'abc', ip: '198.51.100.7', phone: '13912345678' });
    expect(s.map((x) => x.split('-')[0])).toEqual(['dev', 'ip', 'pre']);
    expect(sourcesOf({ phone: '13912340000' })[1]).toBe(s[2]);
    expect(JSON.stringify(s)).not.toContain('198.51');
  });

  it('a group takes the early requests of its source too, and never a request a dispatcher took or a known caller', () => {
    const base = { status: 'received' as const, severity: 2, complaints: [], presses: 1, timeline: [], phone: '13600000000' };
    const items = [
      { ...base, id: 'a', createdAt: '2026-01-01T00:00:01Z', updatedAt: '', sources: ['dev-1', 'ip-x'] },
      { ...base, id: 'b', createdAt: '2026-01-01T00:00:02Z', updatedAt: '', sources: ['dev-2', 'ip-x'], flood: 'ip-x' },
      { ...base, id: 'c', createdAt: '2026-01-01T00:00:03Z', updatedAt: '', sources: ['dev-3', 'ip-x'], status: 'acknowledged' as const },
      { ...base, id: 'd', createdAt: '2026-01-01T00:00:04Z', updatedAt: '', sources: ['dev-4', 'ip-y'] },
      { ...base, id: 'e', createdAt: '2026-01-01T00:00:05Z', updatedAt: '', userId: 'u1' },
    ];
    const { normal, groups } = groupFloods(items);
    expect(normal.map((e) => e.id).sort()).toEqual(['c', 'd', 'e']);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: 'ip-x', source: 'ip', label: '同一网络地址' });
    expect(groups[0].members.map((e) => e.id)).toEqual(['b', 'a']);
  });
});

describe('a flood of anonymous SOS', () => {
  it('is stored whole, collapsed into one group below the normal requests, and dismissed in one action', async () => {
    const N = 30;
    const flooder = address();
    const token = await dispatcher();

    const flood = await Promise.all(Array.from({ length: N }, (_, i) => pressFrom(flooder, { phone: phone(), location: here(), complaints: ['chest_pain'], text: `第${i}条`, device: device() })));
    // Nothing refused, and every one is a stored request with its capability.
    expect(flood.every((r) => r.status === 201 && r.body.accessToken)).toBe(true);
    const stored = await store.getMany(flood.map((r) => r.body.id));
    expect(stored).toHaveLength(N);
    expect(stored.every((e) => e.status === 'received')).toBe(true);
    // Past the address's threshold they are marked (a step after the stored write: it may land a moment later).
    await expect.poll(async () => (await store.getMany(flood.map((r) => r.body.id))).filter((e) => e.flood).length, { timeout: 5000 }).toBeGreaterThan(0);

    // A real caller elsewhere, and a logged-in resident on the same (flooding) network, during the flood.
    const normal = await pressFrom(address(), { phone: phone('150'), location: here(), complaints: ['fall_injury'], device: device() });
    const me = await patientAccount('王游客');
    const known = await pressFrom(flooder, { phone: phone('151'), location: here(), patientId: me.patientId, device: device() }, me.token);

    const list = await console_(token);
    const group = list.floods.find((g) => g.members.some((m) => m.id === flood[0].body.id))!;
    expect(group).toMatchObject({ source: 'ip', count: N, open: N });
    expect(new Set(group.members.map((m) => m.id))).toEqual(new Set(flood.map((r) => r.body.id)));
    expect(group.members.every((m) => m.suspectedFlood)).toBe(true);
    // Requests from normal sources stay on top: in the list proper, even though the flood says chest pain.
    const ids = list.items.map((i) => i.id);
    expect(ids).toContain(normal.body.id);
    expect(ids).toContain(known.body.id);
    expect(ids.some((id) => group.members.some((m) => m.id === id))).toBe(false);

    // The dispatcher calls one back: it is real. Taken, it leaves the group for the list.
    const real = flood[7].body.id;
    expect((await call(handler, api.emergency.act, { params: { emergencyId: real }, token, body: { action: 'acknowledge' } })).status).toBe(200);
    const reviewed = (await console_(token)).floods.find((g) => g.id === group.id)!;
    expect(reviewed.count).toBe(N - 1);

    // One more arrives from the flood after the review: it is not dismissed with the rest.
    const late = await pressFrom(flooder, { phone: phone(), location: here(), device: device() });
    const dismissed = await call(handler, api.emergency.dismissFlood, { params: { groupId: group.id }, token, body: { reason: '同一地址十秒内数十条，回拨无人接听', upTo: reviewed.lastAt } });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ groupId: group.id, dismissed: N - 1, kept: 1 });

    const after = await console_(token);
    expect(after.floods.find((g) => g.id === group.id)?.members.map((m) => m.id)).toEqual([late.body.id]);
    expect(after.items.map((i) => i.id)).toEqual(expect.arrayContaining([real, normal.body.id, known.body.id]));
    const ended = (await store.getMany(flood.map((r) => r.body.id))).filter((e) => e.id !== real);
    expect(ended.every((e) => e.status === 'false_alarm' && e.floodDismissed === group.id)).toBe(true);
    expect(ended[0].timeline.at(-1)).toMatchObject({ kind: 'false_alarm', note: expect.stringContaining('回拨无人接听'), by: '孙强 调度员' });
    expect((await store.getEmergency(real))!.status).toBe('acknowledged');
    // The last 24 hours keep the dismissed flood collapsed too.
    const recent = await console_(token, 'recent');
    expect(recent.items.some((i) => ended.some((e) => e.id === i.id))).toBe(false);
    expect(recent.floods.find((g) => g.id === group.id)!.count).toBeGreaterThanOrEqual(N - 1);
  });

  it('one device calling for many numbers, or presses without any device secret, are grouped by device', async () => {
    const token = await dispatcher();
    const one = device();
    const byDevice: Awaited<ReturnType<typeof pressFrom>>[] = [];
    for (let i = 0; i < SOS_FLOOD_THRESHOLD.device + 2; i++) byDevice.push(await pressFrom(address(), { phone: phone(), location: here(), device: one }));
    const list = await console_(token);
    const g = list.floods.find((x) => x.members.some((m) => m.id === byDevice[0].body.id))!;
    expect(g).toMatchObject({ source: 'device', label: '同一设备', count: SOS_FLOOD_THRESHOLD.device + 2 });
  });

  it('numbers from one block of ten thousand are grouped by the block', async () => {
    const token = await dispatcher();
    const block = `1${String(30 + Math.floor(Math.random() * 60))}${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`;
    const presses: Awaited<ReturnType<typeof pressFrom>>[] = [];
    for (let i = 0; i < SOS_FLOOD_THRESHOLD.phone_prefix + 1; i++) presses.push(await pressFrom(address(), { phone: phone(block), location: here(), device: device() }));
    const g = (await console_(token)).floods.find((x) => x.members.some((m) => m.id === presses[0].body.id))!;
    expect(g).toMatchObject({ source: 'phone_prefix', label: `同一号段 ${block.slice(0, 3)} ${block.slice(3)}` });
  });

  it('dismissing a group that is gone is a 404, and needs a reason', async () => {
    const token = await dispatcher();
    const gone = await call(handler, api.emergency.dismissFlood, { params: { groupId: 'ip-0000000000000000' }, token, body: { reason: '测试', upTo: new Date().toISOString() } });
    expect(gone.status).toBe(404);
    const noReason = await call(handler, api.emergency.dismissFlood, { params: { groupId: 'ip-0000000000000000' }, token, body: { reason: '', upTo: new Date().toISOString() } });
    expect(noReason.status).toBe(400);
    const patient = await tokenFor(['patient']);
    expect((await call(handler, api.emergency.dismissFlood, { params: { groupId: 'ip-0000000000000000' }, token: patient, body: { reason: 'x', upTo: new Date().toISOString() } })).status).toBe(403);
  });
});
