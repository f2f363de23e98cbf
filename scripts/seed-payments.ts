/**
 * Demo payments data for the demo family (张建国's account): 张建国 in bed 5A-12 of the city
 * hospital with two deposits and three days of charges (the balance is under the reminder line,
 * so the 住院押金 page shows 余额不足), and unpaid outpatient bills for 张建国 and 张小雨.
 *
 * Idempotent: bills and charges have fixed ids; the admission and its deposits are created once.
 * The deposits are real sandbox payments (so a discharge settlement can refund them), which the
 * in-memory sandbox forgets on restart: to demo a settlement after restarting `npm start`, top
 * up once more first (the newest deposit is refunded first), or start from fresh data.
 */
import { addDays, localDate, type PaymentChannel } from '@hospital/shared';
import { admissionIdOf, postCharge, upsertAdmission } from '../functions/src/payments/admissions';
import { hisBill } from '../functions/src/payments/bills';
import { channel } from '../functions/src/payments/channels';
import { putOrder, setProviderRef } from '../functions/src/payments/orders-store';
import { payerId } from '../functions/src/payments/payer';
import { reserveDepositItem } from '../functions/src/payments/admissions-store';
import { settleOrder } from '../functions/src/payments/sweep';
import { newOrderNo, stamp } from '../functions/src/payments/util';
import { DEMO_PATIENTS } from './seed-catalog';

const SOURCE = 'city-his';
const ORG = 'org-city-hospital';
const ADMISSION_NO = 'ZY20250001';
export const DEMO_ADMISSION_ID = admissionIdOf(SOURCE, ADMISSION_NO);

const person = (id: string) => DEMO_PATIENTS.find((p) => p.patientId === id)!;

/** A deposit paid through the sandbox as the family would (no notification: counted by query). */
async function sandboxDeposit(amount: number, ch: PaymentChannel): Promise<boolean> {
  const base = ch === 'wechat' ? process.env.WECHATPAY_BASE : process.env.ALIPAY_GATEWAY && new URL(process.env.ALIPAY_GATEWAY).origin;
  if (!base) return false;
  const now = Date.now();
  const orderNo = newOrderNo(now);
  const order = {
    orderNo, userId: 'demo-patient', patientId: 'p-demo-zhang-jianguo', purpose: 'deposit' as const, refIds: [DEMO_ADMISSION_ID], channel: ch, amount,
    description: '住院预交金', status: 'pending' as const, payerId: await payerId('demo-patient', ch), createdAt: stamp(now), expiresAt: stamp(now + 15 * 60_000),
  };
  await putOrder(order, now + 120_000, [reserveDepositItem(DEMO_ADMISSION_ID, orderNo, ['active'])]);
  const { providerRef } = await channel(ch).prepay({ orderNo, amount, description: order.description, payerId: order.payerId, expiresAt: new Date(now + 15 * 60_000) });
  await setProviderRef(orderNo, providerRef);
  const res = await fetch(`${base}/sandbox/pay`, { method: 'POST', body: JSON.stringify({ out_trade_no: orderNo, notify: false }), headers: { 'content-type': 'application/json' } });
  if (!res.ok) return false;
  return (await settleOrder(orderNo)) === 'paid';
}

export async function seedPayments(): Promise<string> {
  const me = person('p-demo-zhang-jianguo');
  const child = person('p-demo-zhang-xiaoyu');
  const today = localDate();
  const admittedOn = addDays(today, -3);

  const created = await upsertAdmission(SOURCE, ORG, {
    admissionNo: ADMISSION_NO, idNumber: me.idNumber, patientName: me.name, ward: '5A', bed: '12',
    admittedAt: `${admittedOn}T09:30:00+08:00`, minDeposit: 10_000, maxDeposit: 5_000_000, lowBalanceThreshold: 100_000,
  });
  let deposits = 0;
  if (created === 'created') {
    for (const [amount, ch] of [[300_000, 'wechat'], [200_000, 'alipay']] as const) if (await sandboxDeposit(amount, ch)) deposits++;
  }
  const charges: [string, number, string][] = [
    [addDays(today, -3), 128_050, '床位费、护理费、心电监护、药品费'],
    [addDays(today, -2), 186_000, '冠脉造影检查、药品费、护理费'],
    [addDays(today, -1), 105_950, '床位费、药品费、检验费'],
  ];
  for (const [date, amount, description] of charges) {
    await postCharge(DEMO_ADMISSION_ID, { chargeId: `DEMO-${date}`, date, amount, description }, `his:${SOURCE}`);
  }

  const issuedAt = `${today}T09:00:00+08:00`;
  const bills = [
    { billNo: 'DEMO-MZ-0001', who: child, deptName: '儿科', doctorName: '周敏', items: [
      { code: '250101001', name: '血常规（五分类）', category: '检验', quantity: 1, unitPrice: 2_500, amount: 2_500 },
      { code: '110200001', name: '普通门诊诊查费', category: '诊查', quantity: 1, unitPrice: 1_000, amount: 1_000 },
    ] },
    { billNo: 'DEMO-MZ-0002', who: child, deptName: '儿科', doctorName: '周敏', items: [
      { code: 'YP0031', name: '布洛芬混悬液 100ml', category: '西药', unit: '瓶', quantity: 1, unitPrice: 1_850, amount: 1_850 },
      { code: 'YP0107', name: '小儿氨酚黄那敏颗粒', category: '西药', unit: '盒', quantity: 2, unitPrice: 1_280, amount: 2_560 },
    ] },
    { billNo: 'DEMO-MZ-0003', who: me, deptName: '心血管内科', doctorName: '李明华', items: [
      { code: '310701001', name: '常规心电图检查', category: '检查', quantity: 1, unitPrice: 4_000, amount: 4_000 },
      { code: '220600004', name: '心脏彩色多普勒超声', category: '检查', quantity: 1, unitPrice: 20_000, amount: 20_000 },
    ] },
  ];
  let newBills = 0;
  for (const b of bills) {
    const total = b.items.reduce((s, i) => s + i.amount, 0);
    const out = await hisBill(SOURCE, ORG, { billNo: b.billNo, idNumber: b.who.idNumber, patientName: b.who.name, deptName: b.deptName, doctorName: b.doctorName, issuedAt, items: b.items, total });
    if (out === 'created') newBills++;
  }
  return `admission ${ADMISSION_NO} (${created}${deposits ? `, ${deposits} sandbox deposits` : ''}), ${newBills} new unpaid bills`;
}
