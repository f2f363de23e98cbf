import { describe, expect, it } from 'vitest';
import type { EmergencyCreated } from '@hospital/shared';
import { createOutbox, CURRENT_KEY, PENDING_KEY, retryDelayMs, type KeyValue, type OutboxDeps, type PendingSos } from './outbox';

const memory = (): KeyValue & { data: Map<string, unknown> } => {
  const data = new Map<string, unknown>();
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, JSON.parse(JSON.stringify(v))), remove: (k) => void data.delete(k) };
};
const created = (id = 'em-1'): EmergencyCreated => ({ id, status: 'received', attached: false, view: 'caller', accessToken: 'cap', accessExpiresAt: '2030-01-01T00:00:00Z', topic: `emergency:${id}`, createdAt: '2026-11-22T01:00:00Z' });
const offline = Object.assign(new Error('offline'), { kind: 'offline' });
const invalid = Object.assign(new Error('invalid'), { kind: 'http', status: 400 });
const body = { phone: '13953800099', place: '十八盘', complaints: ['fall_injury' as const] };

function deps(store: KeyValue, outcomes: (Error | EmergencyCreated)[], sent: PendingSos[], sleeps: number[]): OutboxDeps {
  let n = 0;
  return {
    store,
    send: async (p) => {
      sent.push(p);
      // The request is on the phone before it is sent.
      expect(store.get(PENDING_KEY)).toBeTruthy();
      const o = outcomes[n++];
      if (o instanceof Error) throw o;
      return o;
    },
    refusal: (e) => ((e as { status?: number }).status === 400 ? { message: '请填写手机号', fields: [{ path: 'body.phone', message: '请填写手机号' }] } : undefined),
    describe: () => '网络不可用',
    sleep: async (ms) => void sleeps.push(ms),
    now: () => 0,
    newKey: () => `key-${Math.random()}`,
  };
}

describe('the SOS outbox', () => {
  it('keeps retrying with backoff and the same Idempotency-Key until the server has it', async () => {
    const store = memory();
    const sent: PendingSos[] = [];
    const sleeps: number[] = [];
    const box = createOutbox(deps(store, [offline, offline, offline, created()], sent, sleeps));
    const phases: string[] = [];
    box.subscribe((s) => phases.push(s.phase));
    await box.press(body);
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((p) => p.idempotencyKey)).size).toBe(1);
    expect(sleeps).toEqual([2000, 4000, 8000]);
    expect(phases).toEqual(['sending', 'waiting', 'sending', 'waiting', 'sending', 'waiting', 'sending', 'sent']);
    expect(store.get(PENDING_KEY)).toBeUndefined();
    expect(store.get(CURRENT_KEY)).toMatchObject({ id: 'em-1', accessToken: 'cap' });
  });

  it('a request left on the phone is sent after a restart, with its original key', async () => {
    const store = memory();
    const first = createOutbox({ ...deps(store, [offline], [], []), sleep: () => new Promise(() => {}) });
    void first.press(body);
    await new Promise((r) => setTimeout(r, 0));
    const key = (store.get(PENDING_KEY) as PendingSos).idempotencyKey;
    // The app is closed while waiting; opened again later:
    const sent: PendingSos[] = [];
    const second = createOutbox(deps(store, [created('em-2')], sent, []));
    await second.resume();
    expect(sent.map((p) => p.idempotencyKey)).toEqual([key]);
    expect(second.current()?.id).toBe('em-2');
  });

  it('a refusal of the content stops the retries and says why', async () => {
    const store = memory();
    const box = createOutbox(deps(store, [invalid], [], []));
    await box.press({ ...body, phone: undefined });
    expect(box.state).toMatchObject({ phase: 'refused', fields: [{ path: 'body.phone' }] });
    expect(store.get(PENDING_KEY)).toBeUndefined();
  });

  it('pressing again while one is pending does not make a second request', async () => {
    const store = memory();
    const sent: PendingSos[] = [];
    let release!: () => void;
    const box = createOutbox({ ...deps(store, [offline, created()], sent, []), sleep: () => new Promise<void>((r) => (release = r)) });
    void box.press(body);
    await new Promise((r) => setTimeout(r, 0));
    void box.press({ ...body, text: '又按了一次' });
    release();
    await box.resume();
    expect(sent).toHaveLength(2);
    expect(sent.every((p) => p.body.text === undefined)).toBe(true);
  });

  it('retry now skips the wait', async () => {
    const store = memory();
    const sent: PendingSos[] = [];
    const box = createOutbox({ ...deps(store, [offline, created()], sent, []), sleep: () => new Promise(() => {}) });
    const done = box.press(body);
    await new Promise((r) => setTimeout(r, 0));
    expect(box.state.phase).toBe('waiting');
    await box.retryNow();
    await done;
    expect(box.state.phase).toBe('sent');
  });

  it('a key the server says was used for another request is replaced once, and the press sent again at once', async () => {
    const store = memory();
    const sent: PendingSos[] = [];
    const reused = Object.assign(new Error('reused'), { kind: 'http', status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    const box = createOutbox({ ...deps(store, [reused, created('em-9')], sent, []), needsNewKey: (e) => (e as { code?: string }).code === 'IDEMPOTENCY_KEY_REUSED' });
    await box.press({ ...body, device: 'sos-device-secret-of-this-phone-0001' });
    expect(sent).toHaveLength(2);
    expect(sent[0].idempotencyKey).not.toBe(sent[1].idempotencyKey);
    expect(sent[1].body.device).toBe('sos-device-secret-of-this-phone-0001');
    expect(box.current()?.id).toBe('em-9');
  });

  it('keeps how the press was taken (joined: linked to another phone’s request) and an absent token as empty', async () => {
    const store = memory();
    const joined: EmergencyCreated = { ...created('em-own'), view: 'joined', accessToken: undefined, accessExpiresAt: undefined };
    const box = createOutbox(deps(store, [joined], [], []));
    await box.press(body);
    expect(box.current()).toMatchObject({ id: 'em-own', view: 'joined', accessToken: '' });
  });

  it('waits 2, 4, 8, 16 s, then 30 s each time', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(retryDelayMs)).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
