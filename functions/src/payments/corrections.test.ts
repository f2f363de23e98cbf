/**
 * Charge corrections (冲红): a charge_reversal entry gives back part or all of a charge, never more
 * than it in total (even when corrections race), once per correction id, never of a correction;
 * through the signed HIS push and the cashier's route. balance == sum(ledger) after each scenario.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '@hospital/shared';
import * as realtime from '#lib/realtime';
import { call } from '#test/http';
import * as admissions from './admissions-store';
import { handler } from './handler';
import {
  admit, cashierToken, charge, expectLedgerInvariant, family, his, key, nurseToken, startPaymentsStack, topUp, type Stack,
} from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

const admissionNo = (id: string) => id.replace('adm-city-his-', '');
const cid = (p = 'C') => `${p}${randomInt(1e9)}`;

/** A signed HIS push of corrections. */
async function hisReverse(id: string, items: { chargeId: string; reverses: string; amount: number; description?: string }[]) {
  const r = await his(api.payments.hisCharges, {
    charges: items.map((c) => ({ admissionNo: admissionNo(id), description: c.description ?? 'CT 检查', date: '2025-06-03', ...c })),
  });
  expect(r.status, r.text).toBe(202);
  return r.body as { accepted: number; duplicates: number; rejected: { ref: string; code: string; message: string }[] };
}

async function hisCharge(id: string, chargeId: string, amount: number, description = 'CT 检查') {
  const r = await his(api.payments.hisCharges, { charges: [{ admissionNo: admissionNo(id), chargeId, description, amount, date: '2025-06-02' }] });
  expect(r.body).toMatchObject({ accepted: 1 });
}

async function staffPost(id: string, charges: unknown[], token?: string) {
  return call(handler, api.payments.postCharges, {
    token: token ?? (await cashierToken()), params: { admissionId: id }, headers: { 'idempotency-key': key() }, body: { charges },
  });
}

const view = async (id: string) => (await call(handler, api.payments.admission, { token: await cashierToken(), params: { admissionId: id } })).body;

describe('冲红 through the HIS push', () => {
  it('a full and a partial correction give money back; the view names the charge; totals are net', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    await topUp(stack, f.token, id, 300_000);
    const ct = cid();
    const bed = cid();
    await hisCharge(id, ct, 48_000);
    await hisCharge(id, bed, 10_000, '床位费');
    // The whole CT (billed by mistake), and 4,000 of the bed fee (a wrong day).
    expect(await hisReverse(id, [{ chargeId: cid('R'), reverses: ct, amount: 48_000 }])).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await hisReverse(id, [{ chargeId: cid('R'), reverses: bed, amount: 4_000, description: '床位费多计一天' }])).toMatchObject({ accepted: 1 });
    const { admission, entries } = await expectLedgerInvariant(id);
    expect(admission).toMatchObject({ balance: 300_000 - 10_000 + 4_000, totalCharged: 6_000, totalDeposited: 300_000 });
    expect(entries.map((e) => [e.type, e.amount])).toEqual([['deposit', 300_000], ['charge', -48_000], ['charge', -10_000], ['charge_reversal', 48_000], ['charge_reversal', 4_000]]);
    const v = await view(id);
    expect(v.totalCharged).toBe(6_000);
    expect(v.ledger[3]).toMatchObject({ type: 'charge_reversal', amount: 48_000, description: '费用冲红：CT 检查', reverses: ct });
    expect(v.ledger[4]).toMatchObject({ description: '费用冲红：床位费（床位费多计一天）', reverses: bed });
    expect(v.ledger[1]).toMatchObject({ type: 'charge', chargeId: ct, reversed: 48_000 });
    expect(v.ledger[2]).toMatchObject({ chargeId: bed, reversed: 4_000 });
    // The rest of the bed fee can still be corrected, exactly.
    expect(await hisReverse(id, [{ chargeId: cid('R'), reverses: bed, amount: 6_000 }])).toMatchObject({ accepted: 1 });
    expect((await expectLedgerInvariant(id)).admission).toMatchObject({ balance: 300_000, totalCharged: 0 });
  });

  it('more than is left of the charge is refused per item, with nothing written', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const ct = cid();
    await hisCharge(id, ct, 20_000);
    expect(await hisReverse(id, [{ chargeId: cid('R'), reverses: ct, amount: 15_000 }])).toMatchObject({ accepted: 1 });
    const before = await expectLedgerInvariant(id);
    const over = cid('R');
    const r = await hisReverse(id, [{ chargeId: over, reverses: ct, amount: 5_001 }]);
    expect(r).toEqual({ accepted: 0, duplicates: 0, rejected: [{ ref: over, code: 'REVERSAL_EXCEEDS_CHARGE', message: expect.stringContaining('冲红金额超过') }] });
    const whole = cid('R');
    expect((await hisReverse(id, [{ chargeId: whole, reverses: cid(), amount: 1 }])).rejected[0].code).toBe('CHARGE_NOT_FOUND');
    const after = await expectLedgerInvariant(id);
    expect(after.entries).toEqual(before.entries);
    expect(after.admission).toMatchObject({ balance: before.admission.balance, seq: before.admission.seq, totalCharged: 5_000 });
    // The refused correction's id was not used up: the same id with an amount that fits is posted.
    expect(await hisReverse(id, [{ chargeId: over, reverses: ct, amount: 5_000 }])).toMatchObject({ accepted: 1 });
    expect((await expectLedgerInvariant(id)).admission.balance).toBe(0);
  });

  it('a re-sent correction is a duplicate and changes nothing, even once the charge is fully reversed', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const ct = cid();
    const rev = cid('R');
    await hisCharge(id, ct, 9_000);
    expect(await hisReverse(id, [{ chargeId: rev, reverses: ct, amount: 9_000 }])).toMatchObject({ accepted: 1 });
    expect(await hisReverse(id, [{ chargeId: rev, reverses: ct, amount: 9_000 }])).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const { admission, entries } = await expectLedgerInvariant(id);
    expect(entries).toHaveLength(2);
    expect(admission).toMatchObject({ balance: 0, totalCharged: 0 });
    expect(entries[0].reversed).toBe(9_000);
  });

  it('a correction of a correction, of an unknown charge, or of another admission’s charge is refused', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const other = await admit(f.parentIdNumber);
    const ct = cid();
    const rev = cid('R');
    await hisCharge(id, ct, 9_000);
    await hisReverse(id, [{ chargeId: rev, reverses: ct, amount: 1_000 }]);
    const before = await expectLedgerInvariant(id);
    const r = await hisReverse(id, [{ chargeId: cid('R'), reverses: rev, amount: 500 }]);
    expect(r.rejected).toEqual([expect.objectContaining({ code: 'CHARGE_NOT_REVERSIBLE' })]);
    expect((await hisReverse(other, [{ chargeId: cid('R'), reverses: ct, amount: 500 }])).rejected[0].code).toBe('CHARGE_NOT_FOUND');
    expect((await hisReverse('adm-city-his-NOPE', [{ chargeId: cid('R'), reverses: ct, amount: 500 }])).rejected[0].code).toBe('ADMISSION_NOT_FOUND');
    expect((await expectLedgerInvariant(id)).entries).toEqual(before.entries);
    expect((await expectLedgerInvariant(other)).entries).toEqual([]);
  });

  it('five corrections of one charge at once never give back more than the charge', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const ct = cid();
    await hisCharge(id, ct, 10_000);
    // 5 × 3,000 = 15,000 against 10,000: exactly three fit.
    const results = await Promise.all(Array.from({ length: 5 }, () => hisReverse(id, [{ chargeId: cid('R'), reverses: ct, amount: 3_000 }])));
    expect(results.filter((r) => r.accepted === 1)).toHaveLength(3);
    expect(results.filter((r) => r.rejected[0]?.code === 'REVERSAL_EXCEEDS_CHARGE')).toHaveLength(2);
    const { admission, entries } = await expectLedgerInvariant(id);
    expect(entries.filter((e) => e.type === 'charge_reversal')).toHaveLength(3);
    expect(entries[0].reversed).toBe(9_000);
    expect(admission).toMatchObject({ balance: -1_000, totalCharged: 1_000 });
  });

  it('mixed sizes racing: whatever wins, the sum stays within the charge and matches `reversed`', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const ct = cid();
    await hisCharge(id, ct, 10_000);
    const amounts = [4_000, 3_500, 3_000, 2_500, 2_000, 1_000];
    await Promise.all(amounts.map((amount) => hisReverse(id, [{ chargeId: cid('R'), reverses: ct, amount }])));
    const { entries } = await expectLedgerInvariant(id);
    const back = entries.filter((e) => e.type === 'charge_reversal').reduce((s, e) => s + e.amount, 0);
    expect(back).toBeLessThanOrEqual(10_000);
    expect(entries[0].reversed).toBe(back);
  });

  it('a malformed `reverses` is a 400 naming the field; nothing is written', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const r = await his(api.payments.hisCharges, {
      charges: [
        { admissionNo: admissionNo(id), chargeId: cid(), description: '床位费', amount: 100 },
        { admissionNo: admissionNo(id), chargeId: cid('R'), description: 'x', amount: 100, reverses: 'no spaces allowed' },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((x: { path: string }) => x.path)).toEqual(['body.charges.1.reverses']);
    expect((await expectLedgerInvariant(id)).entries).toEqual([]);
  });
});

describe('冲红 by a cashier or nurse', () => {
  it('corrects a staff charge and a HIS charge; refusals are 409 with the field, and write nothing', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const ct = cid();
    await hisCharge(id, ct, 30_000);
    const infusion = cid('S');
    const posted = await staffPost(id, [{ chargeId: infusion, description: '静脉输液', amount: 3_000 }]);
    expect(posted.status, posted.text).toBe(201);
    // Partial correction of the HIS charge and full of the staff one, in one request.
    const r = await staffPost(id, [
      { chargeId: cid('R'), reverses: ct, description: 'CT 检查', amount: 10_000 },
      { chargeId: cid('R'), reverses: infusion, description: '静脉输液', amount: 3_000 },
    ], await nurseToken());
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ balance: -20_000, totalCharged: 20_000 });
    expect(r.body.ledger.slice(2).map((e: { description: string; amount: number }) => [e.description, e.amount])).toEqual([['费用冲红：CT 检查', 10_000], ['费用冲红：静脉输液', 3_000]]);
    const before = await expectLedgerInvariant(id);

    // One fits, the second of the same request would take the CT past its amount: nothing is written.
    const over = await staffPost(id, [
      { chargeId: cid('R'), reverses: ct, description: 'CT 检查', amount: 15_000 },
      { chargeId: cid('R'), reverses: ct, description: 'CT 检查', amount: 5_001 },
    ]);
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('REVERSAL_EXCEEDS_CHARGE');
    expect(over.body.error.message).toMatch(/冲红金额超过/);
    const unknown = await staffPost(id, [{ description: 'x', amount: 1, reverses: 'NOPE-1' }]);
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.code).toBe('CHARGE_NOT_FOUND');
    const revRev = await staffPost(id, [{ description: 'x', amount: 1, reverses: before.entries[2].chargeId }]);
    expect(revRev.body.error.code).toBe('CHARGE_NOT_REVERSIBLE');
    const bad = await staffPost(id, [{ description: 'x', amount: 1, reverses: '冲红' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((x: { path: string }) => x.path)).toContain('body.charges.0.reverses');
    const zero = await staffPost(id, [{ description: 'x', amount: 0, reverses: ct }]);
    expect(zero.status).toBe(400);
    const after = await expectLedgerInvariant(id);
    expect(after.entries).toEqual(before.entries);
  });

  it('a charge and its correction in one request; a re-sent request is counted once', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const c = cid('S');
    const body = [{ chargeId: c, description: '换药', amount: 2_000 }, { chargeId: cid('R'), reverses: c, description: '换药', amount: 2_000 }];
    expect((await staffPost(id, body)).status).toBe(201);
    const again = await staffPost(id, body);
    expect(again.status, again.text).toBe(201);
    const { admission, entries } = await expectLedgerInvariant(id);
    expect(entries.map((e) => e.type)).toEqual(['charge', 'charge_reversal']);
    expect(admission).toMatchObject({ balance: 0, totalCharged: 0 });
  });

  it('parallel staff corrections of one charge: only those that fit succeed, the rest are 409', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const ct = cid();
    await hisCharge(id, ct, 10_000);
    const token = await cashierToken();
    const rs = await Promise.all(Array.from({ length: 5 }, () => staffPost(id, [{ chargeId: cid('R'), reverses: ct, description: 'CT 检查', amount: 4_000 }], token)));
    expect(rs.filter((r) => r.status === 201)).toHaveLength(2);
    expect(rs.filter((r) => r.status === 409 && r.body.error.code === 'REVERSAL_EXCEEDS_CHARGE')).toHaveLength(3);
    const { admission, entries } = await expectLedgerInvariant(id);
    expect(entries[0].reversed).toBe(8_000);
    expect(admission.totalCharged).toBe(2_000);
  });

  it('a correction lifting the balance over the reminder line re-arms it; another hospital’s staff cannot correct', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber, { lowBalanceThreshold: 100_000 });
    await call(handler, api.payments.myAdmissions, { token: f.token });
    await topUp(stack, f.token, id, 200_000);
    const ct = cid();
    const sent = vi.spyOn(realtime, 'publish');
    await charge(id, 150_000, ct);
    expect((await admissions.getAdmission(id))?.lowNotified).toBe(true);
    await hisReverse(id, [{ chargeId: cid('R'), reverses: ct, amount: 150_000 }]);
    expect((await admissions.getAdmission(id))?.lowNotified).toBe(false);
    expect(sent.mock.calls.filter((c) => c[1].type === 'admission.low_balance')).toHaveLength(1);
    expect(sent.mock.calls.at(-1)?.[1]).toMatchObject({ type: 'admission.updated', data: { balance: 200_000 } });
    sent.mockRestore();
    const elsewhere = await staffPost(id, [{ description: 'x', amount: 1, reverses: ct }], await cashierToken('org-other'));
    expect(elsewhere.status).toBe(404);
    await expectLedgerInvariant(id);
  });
});

describe('冲红 and discharge settlement', () => {
  it('final charges may carry corrections; a correction covering the shortfall completes the settlement; none after it', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    await topUp(stack, f.token, id, 100_000);
    const ct = cid();
    await hisCharge(id, ct, 80_000);
    const settle = (charges: unknown[]) =>
      call(handler, api.payments.settle, { token: '', params: { admissionId: id }, body: { charges }, headers: { 'idempotency-key': key() } });
    const asCashier = async (charges: unknown[]) => {
      const token = await cashierToken();
      return call(handler, api.payments.settle, { token, params: { admissionId: id }, body: { charges }, headers: { 'idempotency-key': key() } });
    };
    expect((await settle([])).status).toBe(401);
    // Surgery 50,000 and 10,000 of the CT given back: 100,000 − 80,000 − 50,000 + 10,000 = −20,000.
    const r = await asCashier([
      { chargeId: cid('F'), description: '手术费', amount: 50_000 },
      { chargeId: cid('R'), reverses: ct, description: 'CT 检查', amount: 10_000 },
    ]);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ outcome: 'awaiting_payment', shortfall: 20_000 });
    // The HIS finds another 20,000 of the CT was wrong: nothing is owed any more, the account is settled.
    expect(await hisReverse(id, [{ chargeId: cid('R'), reverses: ct, amount: 20_000 }])).toMatchObject({ accepted: 1 });
    const { admission } = await expectLedgerInvariant(id);
    expect(admission).toMatchObject({ status: 'settled', balance: 0, totalCharged: 100_000 });
    // After settlement a correction is refused like a charge.
    const late = cid('R');
    expect((await hisReverse(id, [{ chargeId: late, reverses: ct, amount: 1_000 }])).rejected).toEqual([{ ref: late, code: 'ADMISSION_SETTLED', message: '住院账户已结清' }]);
    const staffLate = await staffPost(id, [{ description: 'CT 检查', amount: 1_000, reverses: ct }]);
    expect(staffLate.status).toBe(409);
    expect(staffLate.body.error.code).toBe('ADMISSION_SETTLED');
    await expectLedgerInvariant(id);
  });
});
