/**
 * Payments test fixtures: both provider sandboxes (real cryptography), a small HTTP bridge that
 * hands their notifications to our handler in process (as API Gateway would), families with
 * relatives, admissions and bills from a signed HIS push, and the ledger invariant.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { ensureTable } from '../../../scripts/lib/dynamo';
import { api, idCardCheckChar, type PaymentChannel, type RouteDef } from '@hospital/shared';
import { signPush } from '#lib/hmac-push';
import { call, event, lambdaContext, tokenFor } from '#test/http';
import { startSandboxes } from '#test/sandboxes';
import { addPerson } from '#test/people';
import * as admissionsStore from './admissions-store';
import { handler } from './handler';

export const ORG = 'org-city-hospital';
export const HIS_SECRET = randomBytes(24).toString('hex');
export const key = () => `k-${randomUUID()}`;

/** A valid ID number unique enough for one test run (birth date and sequence both random). */
export function idNumber(): string {
  const d = new Date(Date.UTC(1940 + randomInt(60), randomInt(12), 1 + randomInt(28)));
  const first17 = `370902${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(randomInt(1000)).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}

export type Stack = Awaited<ReturnType<typeof startPaymentsStack>>;

/**
 * A table of this test file's own: the sweep looks at every pending order in its table, and
 * must not close other files' orders (their sandboxes have never heard of them).
 */
export async function ownTable(name: string) {
  process.env.TABLE_NAME = `${name}-${randomUUID().slice(0, 8)}`;
  await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB as string, process.env.TABLE_NAME);
}

/** Sandboxes + a bridge at PUBLIC_API_BASE that feeds their callbacks to the payments handler. */
export async function startPaymentsStack() {
  const sandboxes = await startSandboxes();
  process.env.ALIPAY_SELLER_ID = sandboxes.keys.alipay.sellerId;
  process.env.HIS_SOURCES = `city-his=${ORG},other-his=org-other`;
  process.env.HIS_SECRET_CITY_HIS = HIS_SECRET;
  process.env.HIS_SECRET_OTHER_HIS = randomBytes(24).toString('hex');
  const received: { path: string; status: number }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = path.endsWith('/wechat') ? api.payments.notifyWechat : api.payments.notifyAlipay;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : (v ?? '')]));
      const e = event(route, { rawBody: Buffer.concat(chunks).toString('utf8'), headers });
      const out = (await handler(e, lambdaContext() as never)) as { statusCode: number; body?: string; headers?: Record<string, string> };
      received.push({ path, status: out.statusCode });
      res.writeHead(out.statusCode, out.headers ?? {}).end(out.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.env.PUBLIC_API_BASE = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...sandboxes,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sandboxes.close();
    },
  };
}

/** An account holder with themself and a parent on the account. */
export async function family() {
  const userId = `u-${randomUUID()}`;
  const self = await addPerson(userId, { name: '张建国', relation: 'self', phone: '13812345678', idNumber: idNumber() });
  const parentIdNumber = idNumber();
  const parent = await addPerson(userId, { name: '张老汉', relation: 'parent', phone: '13812345679', idNumber: parentIdNumber });
  return { userId, token: await tokenFor(['patient'], userId), selfId: self.id, parentId: parent.id, parentIdNumber };
}

export const cashierToken = (orgId = ORG) => tokenFor(['cashier'], `u-cashier-${randomUUID()}`, orgId);
export const nurseToken = (orgId = ORG) => tokenFor(['nurse'], `u-nurse-${randomUUID()}`, orgId);

/** Headers of a signed HIS push (override any part to test refusals). */
export function hisHeaders(rawBody: string, o: { source?: string; secret?: string; ts?: number; nonce?: string } = {}) {
  const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomUUID().replace(/-/g, '');
  return {
    'x-source': o.source ?? 'city-his',
    'x-timestamp': ts,
    'x-nonce': nonce,
    'x-signature': signPush(o.secret ?? HIS_SECRET, ts, nonce, rawBody),
  };
}

export async function his(route: RouteDef, body: unknown, o: Parameters<typeof hisHeaders>[1] & { rawBody?: string } = {}) {
  const rawBody = o.rawBody ?? JSON.stringify(body);
  return call(handler, route, { rawBody, headers: hisHeaders(rawBody, o) });
}

/** An admission for the person, from the hospital system; its id. */
export async function admit(idNo: string, o: { minDeposit?: number; maxDeposit?: number; lowBalanceThreshold?: number } = {}) {
  const admissionNo = `ZY${randomInt(1e9)}`;
  const r = await his(api.payments.hisAdmissions, {
    admissions: [{ admissionNo, idNumber: idNo, patientName: '张老汉', ward: '心内科病区', bed: '12', admittedAt: '2025-06-01T09:00:00+08:00', ...o }],
  });
  expect(r.status, r.text).toBe(202);
  return `adm-city-his-${admissionNo}`;
}

export async function charge(admissionId: string, amount: number, chargeId = `C${randomInt(1e9)}`) {
  const admissionNo = admissionId.replace('adm-city-his-', '');
  const r = await his(api.payments.hisCharges, { charges: [{ admissionNo, chargeId, description: '床位费、护理费、药品费', amount, date: '2025-06-02' }] });
  expect(r.status, r.text).toBe(202);
  return r.body;
}

export async function createOrder(token: string, body: Record<string, unknown>, idem = key()) {
  return call(handler, api.payments.create, { token, body, headers: { 'idempotency-key': idem } });
}

export async function getOrder(token: string, orderNo: string) {
  return call(handler, api.payments.get, { token, params: { orderNo } });
}

/** The payer presses 支付 at the sandbox (the provider then notifies us, unless told not to). */
export async function pay(stack: Stack, ch: PaymentChannel, orderNo: string, notify = true) {
  const base = ch === 'wechat' ? stack.wechat.url : stack.alipay.url;
  const res = await fetch(`${base}/sandbox/pay`, { method: 'POST', body: JSON.stringify({ out_trade_no: orderNo, notify }), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
}

export async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Pays a deposit top-up end to end (order → sandbox → notification) and waits for the credit. */
export async function topUp(stack: Stack, token: string, admissionId: string, amount: number, ch: PaymentChannel = 'wechat') {
  const o = await createOrder(token, { purpose: 'deposit', refId: admissionId, channel: ch, amount });
  expect(o.status, o.text).toBe(201);
  await pay(stack, ch, o.body.orderNo);
  await until(async () => (await getOrder(token, o.body.orderNo)).body.result === 'succeeded');
  return o.body.orderNo as string;
}

/**
 * balance == sum(ledger) == deposited − charged − refunded, seq gap-free from 1, and every
 * entry's balanceAfter is the previous one plus its amount.
 */
export async function expectLedgerInvariant(admissionId: string) {
  const a = await admissionsStore.getAdmission(admissionId);
  const entries = await admissionsStore.ledger(admissionId);
  expect(a).toBeDefined();
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  expect(sum).toBe(a!.balance);
  expect(a!.totalDeposited - a!.totalCharged - a!.totalRefunded).toBe(a!.balance);
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  expect(a!.seq).toBe(entries.length);
  let running = 0;
  for (const e of entries) {
    running += e.amount;
    expect(e.balanceAfter).toBe(running);
  }
  return { admission: a!, entries };
}
