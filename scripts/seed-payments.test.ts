import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '../functions/test/http';
import { addPatient } from '../functions/src/patients/store';
import { handler } from '../functions/src/payments/handler';
import { expectLedgerInvariant, ownTable, startPaymentsStack, type Stack } from '../functions/src/payments/test-fixtures';
import { DEMO_PATIENTS, seedDemoConsents } from './seed-catalog';
import { DEMO_ADMISSION_ID, seedPayments } from './seed-payments';

let stack: Stack;
beforeAll(async () => {
  await ownTable('seed-payments');
  stack = await startPaymentsStack();
  const now = new Date().toISOString();
  await seedDemoConsents();
  for (const p of DEMO_PATIENTS) await addPatient({ ...p, createdAt: now, updatedAt: now });
});
afterAll(async () => stack?.close());

describe('the demo payments seed', () => {
  it('gives 张建国 an admission in 5A-12 with two real deposits and charges, and the family unpaid bills; twice is once', async () => {
    const first = await seedPayments();
    expect(first).toContain('created, 2 sandbox deposits');
    expect(first).toContain('3 new unpaid bills');
    expect(await seedPayments()).toMatch(/unchanged.*0 new unpaid bills/);
    const token = await tokenFor(['patient'], 'demo-patient');
    const a = await call(handler, api.payments.admission, { token, params: { admissionId: DEMO_ADMISSION_ID } });
    expect(a.body).toMatchObject({ ward: '5A', bed: '12', patientId: 'p-demo-zhang-jianguo', totalDeposited: 500_000, totalCharged: 420_000, balance: 80_000, lowBalance: true });
    expect(a.body.ledger.map((e: { type: string }) => e.type)).toEqual(['deposit', 'deposit', 'charge', 'charge', 'charge']);
    await expectLedgerInvariant(DEMO_ADMISSION_ID);
    const child = await call(handler, api.payments.myBills, { token, query: { patientId: 'p-demo-zhang-xiaoyu' } });
    expect(child.body).toMatchObject({ unpaidTotal: 3_500 + 4_410 });
    const me = await call(handler, api.payments.myBills, { token, query: { patientId: 'p-demo-zhang-jianguo' } });
    expect(me.body.unpaidTotal).toBe(24_000);
  });
});
