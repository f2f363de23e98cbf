import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { consentAll } from '#test/people';
import { handler } from './handler';
import { requireOwnPatient } from './service';
import { idNumber, makeCatalog, makeSchedule } from '../booking/test-fixtures';
import { handler as booking } from '../booking/handler';

const person = (over: Record<string, unknown> = {}) => ({ name: '张建国', relation: 'self', phone: '13812345678', idNumber: idNumber('19650412', 123), ...over });

async function account() {
  const userId = `u-${randomUUID()}`;
  await consentAll(userId);
  return { userId, token: await tokenFor(['patient'], userId) };
}

describe('people on my account (就诊人)', () => {
  it('adds a person; the ID number and phone are masked in every response', async () => {
    const { token } = await account();
    const id = idNumber('19650412', 123);
    const r = await call(handler, api.patients.create, { body: person({ idNumber: id }), token });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: '张建国', relation: 'self', sex: 'male', birthDate: '1965-04-12', phoneMasked: '138****5678', idNumberMasked: `${id.slice(0, 4)}**********${id.slice(-4)}` });
    const list = await call(handler, api.patients.list, { token });
    expect(list.body).toMatchObject({ max: 5, items: [expect.objectContaining({ id: r.body.id })] });
    for (const text of [r.text, list.text]) {
      expect(text).not.toContain(id);
      expect(text).not.toContain('13812345678');
    }
  });

  it('refuses a wrong ID number, phone or name, naming the field', async () => {
    const { token } = await account();
    const bad = await call(handler, api.patients.create, { body: person({ idNumber: '110105194912310021', phone: '123', name: '' }), token });
    expect(bad.status).toBe(400);
    const fields = Object.fromEntries(bad.body.error.fields.map((f: { path: string; message: string }) => [f.path, f.message]));
    expect(fields['body.idNumber']).toMatch(/校验位/);
    expect(Object.keys(fields).sort()).toEqual(['body.idNumber', 'body.name', 'body.phone']);
    const date = await call(handler, api.patients.create, { body: person({ idNumber: '110105194902300021' }), token });
    expect(date.body.error.fields[0]).toMatchObject({ path: 'body.idNumber' });
  });

  it('at most 5 people, each ID number once, even when added at the same time', async () => {
    const { token } = await account();
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => call(handler, api.patients.create, { body: person({ idNumber: idNumber('19900101', i), relation: 'child' }), token })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'PATIENT_LIMIT')).toBe(true);
    const list = await call(handler, api.patients.list, { token });
    expect(list.body.items).toHaveLength(5);
    const other = await account();
    const first = await call(handler, api.patients.create, { body: person(), token: other.token });
    const dup = await call(handler, api.patients.create, { body: person({ name: '张三' }), token: other.token });
    expect(first.status).toBe(201);
    expect([dup.status, dup.body.error.code]).toEqual([409, 'PATIENT_EXISTS']);
  });

  it("edits and removes only my own people; another account's are 404", async () => {
    const me = await account();
    const stranger = await account();
    const p = await call(handler, api.patients.create, { body: person(), token: me.token });
    const params = { patientId: p.body.id };
    expect((await call(handler, api.patients.update, { params, body: { name: '李四' }, token: stranger.token })).status).toBe(404);
    expect((await call(handler, api.patients.remove, { params, token: stranger.token })).status).toBe(404);
    await expect(requireOwnPatient(stranger.userId, p.body.id)).rejects.toMatchObject({ status: 404 });
    const up = await call(handler, api.patients.update, { params, body: { phone: '13900001111', relation: 'parent' }, token: me.token });
    expect(up.body).toMatchObject({ phoneMasked: '139****1111', relation: 'parent', name: '张建国' });
    const nurse = await tokenFor(['nurse']);
    expect((await call(handler, api.patients.list, { token: nurse })).status).toBe(403);
    expect((await call(handler, api.patients.remove, { params, token: me.token })).body).toEqual({ ok: true });
    expect((await call(handler, api.patients.list, { token: me.token })).body.items).toEqual([]);
    // The slot is free again.
    expect((await call(handler, api.patients.create, { body: person(), token: me.token })).status).toBe(201);
  });

  it('a person with an active appointment cannot be removed', async () => {
    const me = await account();
    const p = await call(handler, api.patients.create, { body: person(), token: me.token });
    const s = await makeSchedule(await makeCatalog(), { capacity: 2 });
    const b = await call(booking, api.booking.book, { body: { scheduleId: s.id, patientId: p.body.id }, token: me.token, headers: { 'idempotency-key': `k-${randomUUID()}` } });
    expect(b.status).toBe(201);
    const r = await call(handler, api.patients.remove, { params: { patientId: p.body.id }, token: me.token });
    expect([r.status, r.body.error.code]).toEqual([409, 'PATIENT_HAS_APPOINTMENTS']);
  });
});
