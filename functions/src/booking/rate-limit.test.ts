/**
 * The booking route's per-account limit, counted in the transaction that takes the place
 * (`rateLimit.inWrite`): exact across handler instances, an over-limit booking takes no place,
 * and a refusal that writes nothing costs no counter write (it is counted in the container).
 * A tighter copy of the route (3 a minute) stands in for the contract's 60 so the test is short.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, routeKey } from '@hospital/shared';
import { db, table } from '#lib/table';
import { featureHandler } from '#lib/http/index';
import { rulesFor } from '#lib/http/rate-limits';
import { call, tokenFor } from '#test/http';
import { getSchedule, placesLeft } from '../catalog/schedule-store';
import * as booking from './service';
import { makeCatalog, makePatient, makeSchedule } from './test-fixtures';

const tight = { ...api.booking.book, idempotency: undefined, rateLimit: { rules: [{ per: 'account', max: 3, windowSeconds: 60 }], inWrite: true, message: '预约操作过于频繁，请稍后再试' } } as const;
const impl = { book: ({ principal, body, headers, admission }: Parameters<Parameters<typeof featureHandler<{ book: typeof tight }>>[1]['book']>[0]) => booking.book(principal.userId, body, headers, admission) };
const left = async (scheduleId: string) => placesLeft((await getSchedule(scheduleId, true))!);
const counter = (userId: string) =>
  db.send(new GetCommand({ TableName: table(), Key: { PK: `RATE#account:${routeKey(tight)}:60:${userId}`, SK: `W#${Math.floor(Date.now() / 60_000) * 60}` } }));

describe('the booking limit', () => {
  it('is the default per-account limit, counted in the booking’s own write', () => {
    expect(api.booking.book.rateLimit).toMatchObject({ inWrite: true });
    expect(rulesFor(api.booking.book).map((r) => r.per)).toEqual(['account']);
  });

  it('holds exactly across two handler instances; the booking over the limit takes no place', async () => {
    const a = featureHandler({ book: tight }, impl);
    vi.resetModules();
    const fresh = await import('#lib/http/index');
    const b = fresh.featureHandler({ book: tight }, impl);
    const catalog = await makeCatalog();
    const sessions = await Promise.all(Array.from({ length: 5 }, () => makeSchedule(catalog, { capacity: 5, fee: 0 })));
    const p = await makePatient();
    const token = await tokenFor(['patient'], p.userId);
    const minute = Math.floor(Date.now() / 60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(i % 2 ? b : a, tight, { token, body: { scheduleId: sessions[i].id, patientId: p.patientId }, headers: { 'idempotency-key': `k-${randomUUID()}` } });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.body.error).toEqual({ code: 'RATE_LIMITED', message: '预约操作过于频繁，请稍后再试' });
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    }
    if (Math.floor(Date.now() / 60_000) !== minute) return; // the window turned mid-test: nothing to judge
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(await left(sessions[3].id)).toBe(5);
    expect(await left(sessions[4].id)).toBe(5);
    expect((await counter(p.userId)).Item?.count).toBe(3);
  });

  it('a refusal that writes nothing is counted in the container, not in the table', async () => {
    const h = featureHandler({ book: tight }, impl);
    const catalog = await makeCatalog();
    const full = await makeSchedule(catalog, { capacity: 1, fee: 0 });
    const first = await makePatient();
    expect((await call(h, tight, { token: await tokenFor(['patient'], first.userId), body: { scheduleId: full.id, patientId: first.patientId }, headers: { 'idempotency-key': `k-${randomUUID()}` } })).status).toBe(201);
    const p = await makePatient();
    const token = await tokenFor(['patient'], p.userId);
    const minute = Math.floor(Date.now() / 60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await call(h, tight, { token, body: { scheduleId: full.id, patientId: p.patientId }, headers: { 'idempotency-key': `k-${randomUUID()}` } })).status);
    }
    if (Math.floor(Date.now() / 60_000) !== minute) return;
    expect(statuses).toEqual([409, 409, 409, 429, 429]);
    expect((await counter(p.userId)).Item).toBeUndefined();
  });
});
