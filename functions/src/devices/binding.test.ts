/**
 * Binding a person to a public kiosk proves presence, against DynamoDB Local through the real
 * handler: the kiosk fetches a short one-time code by a signed request and shows it; nobody binds
 * without it (from afar, by guessing, twice with one code, after it expired); a binding lasts one
 * measurement session with a hard cap on renewals; the next person at the kiosk takes it over with
 * a fresh code; binding at another kiosk ends the one before.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, KIOSK_CODE_MAX_TRIES, KIOSK_CODE_SECONDS, KIOSK_MAX_RENEWALS, VitalCodes } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { patientAccount } from '#test/fixtures';
import type { Principal } from '#lib/tokens';
import { putOrg } from '../catalog/store';
import { handler } from './handler';
import { renew } from './kiosks';
import { codeRequest, fhirBundle, signedHeaders } from './simulator';
import * as store from './store';

process.env.DATA_DIR ??= mkdtempSync(join(tmpdir(), 'kiosk-binding-'));

const ORG = `org-bind-${randomUUID().slice(0, 8)}`;
let admin: string;

beforeAll(async () => {
  await putOrg({
    id: ORG, order: 99, kind: 'station', name: '绑定测试站', level: '远程医疗工作站', address: '测试', phone: '0538-0000000', intro: '',
    location: { wgs84: { lat: 36.25, lng: 117.1 }, gcj02: { lat: 36.25, lng: 117.1 } },
  });
  admin = await tokenFor(['admin'], undefined, ORG);
});

interface Kiosk {
  kioskId: string;
  secret: string;
}
type Person = Awaited<ReturnType<typeof patientAccount>>;

async function registerKiosk(): Promise<Kiosk> {
  const r = await call(handler, api.devices.createKiosk, { token: admin, body: { orgId: ORG, label: '十八盘一体机' } });
  expect(r.status).toBe(201);
  return { kioskId: r.body.kiosk.id, secret: r.body.secret.value };
}

/** What the kiosk's screen shows: it asks with a signed request, as it signs its pushes. */
async function screen(k: Kiosk) {
  const r = await call(handler, api.devices.kioskCode, codeRequest(k.kioskId, k.secret));
  expect(r.status).toBe(200);
  return r.body as { code: string; expiresAt: string; qrUrl: string; bound: boolean; boundUntil?: string; refreshInSeconds: number };
}

const bind = (k: Kiosk, who: Person, code: string | undefined) =>
  call(handler, api.devices.openSession, { token: who.token, params: { kioskId: k.kioskId }, body: { patientId: who.patientId, ...(code === undefined ? {} : { code }) } });
const sessionOf = (k: Kiosk, who: Person) => call(handler, api.devices.kioskSession, { token: who.token, params: { kioskId: k.kioskId } });
const renewal = (k: Kiosk, who: Person) => call(handler, api.devices.renewSession, { token: who.token, params: { kioskId: k.kioskId } });

async function pushHeartRate(k: Kiosk, value: number) {
  const raw = JSON.stringify(fhirBundle([{ code: VitalCodes.heartRate, value, unit: '/min' }], { kioskId: k.kioskId }));
  const r = await call(handler, api.devices.ingest, { rawBody: raw, headers: signedHeaders(k.kioskId, k.secret, raw) });
  expect(r.status).toBe(202);
  return r.body as { assigned: boolean };
}
const heartRatesOf = async (who: Person) =>
  (await call(handler, api.devices.readings, { token: who.token, params: { patientId: who.patientId }, query: { code: VitalCodes.heartRate } })).body.items.map((i: { value: number }) => i.value);

/** A code that is surely not the one on the screen. */
const another = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('the code on the kiosk screen', () => {
  it('is fetched by a signed request: six digits, valid for two minutes, the same on the next poll, with a QR of the kiosk page carrying it', async () => {
    const k = await registerKiosk();
    const first = await screen(k);
    expect(first.code).toMatch(/^\d{6}$/);
    expect(Date.parse(first.expiresAt) - Date.now()).toBeGreaterThan((KIOSK_CODE_SECONDS - 5) * 1000);
    expect(first.qrUrl).toContain(`/qr?c=${k.kioskId}&k=${first.code}`);
    expect(first).toMatchObject({ bound: false });
    expect(first.refreshInSeconds).toBeGreaterThan(0);
    expect((await screen(k)).code).toBe(first.code);
  });

  it('is refused to anyone who cannot sign as the kiosk, and a replayed request is refused', async () => {
    const k = await registerKiosk();
    const forged = await call(handler, api.devices.kioskCode, codeRequest(k.kioskId, 'not-the-secret'));
    expect(forged.status).toBe(401);
    const unsigned = await call(handler, api.devices.kioskCode, { rawBody: '{}' });
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(forged.body)).not.toMatch(/"code":"\d{6}"/);
    const signed = codeRequest(k.kioskId, k.secret);
    expect((await call(handler, api.devices.kioskCode, signed)).status).toBe(200);
    const replay = await call(handler, api.devices.kioskCode, signed);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('REPLAYED');
  });

  it('a patient token cannot read it (it is shown only on the kiosk)', async () => {
    const k = await registerKiosk();
    const who = await patientAccount();
    const r = await call(handler, api.devices.kioskCode, { token: who.token, rawBody: '{}' });
    expect(r.status).toBe(401);
  });
});

describe('binding needs the kiosk’s code', () => {
  it('a remote bind without the code, or with a wrong one, fails and binds nobody; the next push waits for staff', async () => {
    const k = await registerKiosk();
    const shown = await screen(k);
    const remote = await patientAccount('远程绑定者');
    const none = await bind(k, remote, undefined);
    expect(none.status).toBe(400);
    expect(none.body.error.fields[0].path).toBe('body.code');
    const wrong = await bind(k, remote, another(shown.code));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('KIOSK_CODE_WRONG');
    expect(wrong.body.error.fields[0].path).toBe('body.code');
    expect((await sessionOf(k, remote)).body.state).toBe('none');
    expect((await pushHeartRate(k, 77)).assigned).toBe(false);
    expect(await heartRatesOf(remote)).toEqual([]);
  });

  it(`guessing gets nowhere: after ${KIOSK_CODE_MAX_TRIES} wrong codes the code on the screen is replaced, and the old one no longer binds`, async () => {
    const k = await registerKiosk();
    const shown = await screen(k);
    const guesser = await patientAccount();
    for (let i = 0; i < KIOSK_CODE_MAX_TRIES; i++) expect((await bind(k, guesser, another(shown.code))).status).toBe(400);
    expect((await bind(k, guesser, shown.code)).status).toBe(400);
    const next = await screen(k);
    expect(next.code).not.toBe(shown.code);
    // The person actually standing there reads the new code and binds.
    const present = await patientAccount();
    expect((await bind(k, present, next.code)).status).toBe(200);
  });

  it('a code binds once: the same code again (another account, or a second phone) is refused, and the screen shows a new one', async () => {
    const k = await registerKiosk();
    const shown = await screen(k);
    const a = await patientAccount();
    const b = await patientAccount();
    const first = await bind(k, a, shown.code);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'mine', patientId: a.patientId, renewals: 0, renewalsLeft: KIOSK_MAX_RENEWALS });
    expect((await bind(k, b, shown.code)).status).toBe(400);
    expect((await sessionOf(k, a)).body.state).toBe('mine');
    const next = await screen(k);
    expect(next.code).not.toBe(shown.code);
    expect(next).toMatchObject({ bound: true });
  });

  it('two phones racing with the same code: exactly one is bound', async () => {
    const k = await registerKiosk();
    const { code } = await screen(k);
    const people = await Promise.all([patientAccount(), patientAccount(), patientAccount(), patientAccount()]);
    const results = await Promise.all(people.map((p) => bind(k, p, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(3);
  });

  it('an expired code is refused', async () => {
    const k = await registerKiosk();
    const shown = await screen(k);
    const past = new Date(Date.now() - 1000).toISOString();
    expect(await store.putCode({ kioskId: k.kioskId, code: '246810', issuedAt: past, expiresAt: past }, shown.code)).toBe(true);
    const who = await patientAccount();
    expect((await bind(k, who, '246810')).status).toBe(400);
    // The kiosk's next poll shows a fresh code, which works.
    const fresh = await screen(k);
    expect(fresh.code).not.toBe('246810');
    expect((await bind(k, who, fresh.code)).status).toBe(200);
  });

  it('someone else’s person cannot be bound, whatever the code (404)', async () => {
    const k = await registerKiosk();
    const a = await patientAccount();
    const b = await patientAccount();
    const r = await call(handler, api.devices.openSession, { token: a.token, params: { kioskId: k.kioskId }, body: { patientId: b.patientId, code: (await screen(k)).code } });
    expect(r.status).toBe(404);
  });
});

describe('one binding, one measurement session', () => {
  it(`renewals add a session from now, at most ${KIOSK_MAX_RENEWALS} times; then the binding runs out`, async () => {
    const k = await registerKiosk();
    const who = await patientAccount();
    expect((await bind(k, who, (await screen(k)).code)).status).toBe(200);
    for (let i = 1; i <= KIOSK_MAX_RENEWALS; i++) {
      const r = await renewal(k, who);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ state: 'mine', renewals: i, renewalsLeft: KIOSK_MAX_RENEWALS - i });
      expect(Math.abs(Date.parse(r.body.expiresAt) - (Date.now() + 15 * 60_000))).toBeLessThan(5000);
    }
    const capped = await renewal(k, who);
    expect(capped.status).toBe(409);
    expect(capped.body.error.code).toBe('KIOSK_RENEWAL_LIMIT');
    // Nothing was extended by the refused renewal.
    expect((await sessionOf(k, who)).body.renewals).toBe(KIOSK_MAX_RENEWALS);
  });

  it('an ended or expired binding cannot be renewed, and another account cannot renew mine', async () => {
    const k = await registerKiosk();
    const who = await patientAccount();
    const other = await patientAccount();
    await bind(k, who, (await screen(k)).code);
    const foreign = await renewal(k, other);
    expect(foreign.status).toBe(409);
    expect(foreign.body.error.code).toBe('KIOSK_SESSION_ENDED');
    const principal = { userId: who.userId, roles: ['patient'], name: '测试' } as unknown as Principal;
    await expect(renew(principal, k.kioskId, new Date(Date.now() + 16 * 60_000))).rejects.toMatchObject({ status: 409, code: 'KIOSK_SESSION_ENDED' });
    await call(handler, api.devices.endSession, { token: who.token, params: { kioskId: k.kioskId } });
    expect((await renewal(k, who)).body.error.code).toBe('KIOSK_SESSION_ENDED');
  });

  it('a second person at the kiosk binds with the fresh code: the first binding ends, and the next reading is theirs', async () => {
    const k = await registerKiosk();
    const first = await patientAccount('第一位');
    const second = await patientAccount('第二位');
    await bind(k, first, (await screen(k)).code);
    expect((await pushHeartRate(k, 71)).assigned).toBe(true);

    // The second person, without the code (from the queue, or from home), cannot take it.
    expect((await bind(k, second, undefined)).status).toBe(400);
    const busy = await sessionOf(k, second);
    expect(busy.body).toMatchObject({ state: 'busy' });
    expect(busy.body.patientName).toBeUndefined();

    // Standing at the kiosk, they read the screen and bind.
    const taken = await bind(k, second, (await screen(k)).code);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ state: 'mine', patientName: '第二位' });
    expect((await sessionOf(k, first)).body.state).toBe('busy');
    expect((await renewal(k, first)).body.error.code).toBe('KIOSK_SESSION_ENDED');

    expect((await pushHeartRate(k, 88)).assigned).toBe(true);
    expect(await heartRatesOf(first)).toEqual([71]);
    expect(await heartRatesOf(second)).toEqual([88]);
    // Ending frees the kiosk; the first person's end does nothing to the second's binding.
    await call(handler, api.devices.endSession, { token: first.token, params: { kioskId: k.kioskId } });
    expect((await sessionOf(k, second)).body.state).toBe('mine');
    expect((await call(handler, api.devices.endSession, { token: second.token, params: { kioskId: k.kioskId } })).body.state).toBe('none');
    expect((await pushHeartRate(k, 90)).assigned).toBe(false);
  });

  it('binding at another kiosk ends the binding here', async () => {
    const here = await registerKiosk();
    const there = await registerKiosk();
    const who = await patientAccount();
    await bind(here, who, (await screen(here)).code);
    expect((await bind(there, who, (await screen(there)).code)).status).toBe(200);
    expect((await sessionOf(here, who)).body.state).toBe('none');
    expect((await sessionOf(there, who)).body.state).toBe('mine');
    expect((await pushHeartRate(here, 64)).assigned).toBe(false);
    expect((await pushHeartRate(there, 66)).assigned).toBe(true);
    expect(await heartRatesOf(who)).toEqual([66]);
  });

  it('binding elsewhere never ends someone else’s binding at the kiosk I left', async () => {
    const here = await registerKiosk();
    const there = await registerKiosk();
    const me = await patientAccount();
    const next = await patientAccount();
    await bind(here, me, (await screen(here)).code);
    await bind(here, next, (await screen(here)).code); // the next person took over here
    expect((await bind(there, me, (await screen(there)).code)).status).toBe(200);
    expect((await sessionOf(here, next)).body.state).toBe('mine');
    expect((await sessionOf(there, me)).body.state).toBe('mine');
  });
});
