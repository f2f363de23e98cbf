/** The hospital system's signed pushes: HMAC-SHA256 over timestamp, nonce and body; ±300 s; nonce once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { getBill, listForPerson } from './bills-store';
import { handler } from './handler';
import { personHash } from './person';
import { family, his, hisHeaders, idNumber, startPaymentsStack, type Stack } from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

const billBody = (idNo: string, billNo = `B${Math.floor(Math.random() * 1e9)}`, total = 3_500) => ({
  bills: [{
    billNo, idNumber: idNo, patientName: '张老汉', deptName: '心血管内科', doctorName: '李明华', issuedAt: '2025-06-01T10:00:00+08:00',
    items: [
      { code: '250101001', name: '血常规', category: '检验', quantity: 1, unitPrice: 2_500, amount: 2_500 },
      { code: '110200001', name: '诊查费', category: '诊查', quantity: 1, unitPrice: 1_000, amount: 1_000 },
    ],
    total,
  }],
});

describe('POST /v1/integrations/his/bills', () => {
  it('a signed push issues the bill once; the family sees it with its lines', async () => {
    const f = await family();
    const body = billBody(f.parentIdNumber);
    const first = await his(api.payments.hisBills, body);
    expect(first.status, first.text).toBe(202);
    expect(first.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const again = await his(api.payments.hisBills, body); // same bill, new nonce
    expect(again.body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const changed = await his(api.payments.hisBills, billBody(f.parentIdNumber, body.bills[0].billNo, 3_600));
    expect(changed.status).toBe(400); // its lines no longer add up…
    const other = billBody(f.parentIdNumber, body.bills[0].billNo);
    other.bills[0].items[0].amount = 2_600;
    other.bills[0].total = 3_600;
    expect((await his(api.payments.hisBills, other)).body.rejected).toEqual([{ ref: body.bills[0].billNo, code: 'BILL_CONFLICT', message: '账单号已存在且内容不同' }]);
    const mine = await call(handler, api.payments.myBills, { token: f.token, query: { patientId: f.parentId } });
    expect(mine.body.items).toEqual([expect.objectContaining({ id: `bill-city-his-${body.bills[0].billNo}`, total: 3_500, status: 'unpaid', source: 'city-his' })]);
    expect(mine.body.items[0].items.map((i: { name: string }) => i.name)).toEqual(['血常规', '诊查费']);
  });

  const refusedCases: [string, (raw: string) => { headers: Record<string, string>; raw?: string }, number, string][] = [
    ['a tampered body', (raw) => ({ headers: hisHeaders(raw), raw: raw.replace('"total":3500', '"total":3501') }), 401, 'SIGNATURE_INVALID'],
    ['a wrong key', (raw) => ({ headers: hisHeaders(raw, { secret: 'x'.repeat(48) }) }), 401, 'SIGNATURE_INVALID'],
    ['another source’s key', (raw) => ({ headers: hisHeaders(raw, { source: 'other-his' }) }), 401, 'SIGNATURE_INVALID'],
    ['an unknown source', (raw) => ({ headers: hisHeaders(raw, { source: 'nobody' }) }), 401, 'SIGNATURE_INVALID'],
    ['a stale timestamp (301 s)', (raw) => ({ headers: hisHeaders(raw, { ts: Math.floor(Date.now() / 1000) - 301 }) }), 401, 'SIGNATURE_EXPIRED'],
    ['a future timestamp (301 s)', (raw) => ({ headers: hisHeaders(raw, { ts: Math.floor(Date.now() / 1000) + 301 }) }), 401, 'SIGNATURE_EXPIRED'],
    ['no signature', () => ({ headers: {} }), 401, 'SIGNATURE_MISSING'],
  ];
  it.each(refusedCases)('%s is refused and writes nothing', async (_n, make, status, code) => {
    const idNo = idNumber();
    const raw = JSON.stringify(billBody(idNo));
    const m = make(raw);
    const r = await call(handler, api.payments.hisBills, { rawBody: m.raw ?? raw, headers: m.headers });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(await listForPerson(personHash(idNo))).toEqual([]);
  });

  it('a replayed nonce is refused (409) even with a valid signature', async () => {
    const idNo = idNumber();
    const raw = JSON.stringify(billBody(idNo));
    const headers = hisHeaders(raw);
    expect((await call(handler, api.payments.hisBills, { rawBody: raw, headers })).status).toBe(202);
    const replay = await call(handler, api.payments.hisBills, { rawBody: raw, headers });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('REPLAYED');
    expect(await listForPerson(personHash(idNo))).toHaveLength(1);
  });

  it('lines that do not add up to the total: 400 naming the field, nothing written (not even the good bills)', async () => {
    const idNo = idNumber();
    const good = billBody(idNo).bills[0];
    const bad = { ...billBody(idNo).bills[0], total: 3_499 };
    const r = await his(api.payments.hisBills, { bills: [good, bad] });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual([{ path: 'body.bills.1.total', message: '合计与明细金额之和不符' }]);
    expect(await getBill(`bill-city-his-${good.billNo}`)).toBeUndefined();
  });

  it.each([
    ['a bad ID number', (b: ReturnType<typeof billBody>) => ({ bills: [{ ...b.bills[0], idNumber: '110101199001011234' }] }), 'body.bills.0.idNumber'],
    ['a fractional amount', (b: ReturnType<typeof billBody>) => ({ bills: [{ ...b.bills[0], items: [{ ...b.bills[0].items[0], amount: 12.5 }] }] }), 'body.bills.0.items.0.amount'],
    ['no bills', () => ({ bills: [] }), 'body.bills'],
  ])('%s → 400 at %s', async (_n, make, path) => {
    const r = await his(api.payments.hisBills, make(billBody(idNumber())));
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
  });

  it('malformed JSON (signed) is a 400, never a 500', async () => {
    const r = await his(api.payments.hisBills, undefined, { rawBody: '{"bills": [' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('MALFORMED_JSON');
  });
});

describe('POST /v1/integrations/his/admissions and /charges', () => {
  it('a re-sent admission moves the bed but never the money; charges for unknown admissions are reported', async () => {
    const f = await family();
    const admission = { admissionNo: `ZY${Date.now()}`, idNumber: f.parentIdNumber, patientName: '张老汉', ward: '心内科病区', bed: '12', admittedAt: '2025-06-01T09:00:00+08:00' };
    expect((await his(api.payments.hisAdmissions, { admissions: [admission] })).body).toMatchObject({ accepted: 1 });
    expect((await his(api.payments.hisAdmissions, { admissions: [admission] })).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await his(api.payments.hisAdmissions, { admissions: [{ ...admission, bed: '15' }] })).body).toMatchObject({ accepted: 1 });
    const mine = await call(handler, api.payments.myAdmissions, { token: f.token });
    expect(mine.body.items[0]).toMatchObject({ bed: '15', balance: 0 });
    const r = await his(api.payments.hisCharges, { charges: [{ admissionNo: 'NOPE', chargeId: 'c1', description: '床位费', amount: 100 }] });
    expect(r.body.rejected).toEqual([{ ref: 'c1', code: 'ADMISSION_NOT_FOUND', message: '住院号不存在' }]);
    // Another hospital's system cannot post to this admission: its ids are scoped by source.
    const raw = JSON.stringify({ charges: [{ admissionNo: admission.admissionNo, chargeId: 'c2', description: '床位费', amount: 100 }] });
    const { HIS_SECRET_OTHER_HIS: other } = process.env;
    const o = await call(handler, api.payments.hisCharges, { rawBody: raw, headers: hisHeaders(raw, { source: 'other-his', secret: other }) });
    expect(o.body.rejected[0].code).toBe('ADMISSION_NOT_FOUND');
  });
});
