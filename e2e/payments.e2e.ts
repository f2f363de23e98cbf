/**
 * Payments in a real browser against the real local stack (issue #4), paying through the
 * WeChat Pay / Alipay sandboxes' H5 checkout pages (the 支付 / 取消 buttons a person taps):
 *
 * - 住院押金: 张建国's family tops up his deposit (¥800 left, under the ¥1,000 reminder line),
 *   the result page waits for the hospital's confirmation, and the new balance shows; then the
 *   cashier 刘芳 (a second browser) settles the admission at discharge and the refund — newest
 *   deposit first — appears on the family's deposit page.
 * - 门诊缴费: two of 张小雨's bills, one paid, one left; then the other paid with its
 *   notification lost: the result page says 支付结果确认中 until the server's own query finds it.
 * - 挂号费: a held appointment; the checkout is cancelled once (nothing paid, 继续支付 offered),
 *   then paid with Alipay, and the appointment is confirmed.
 *
 * The browser's "paid" never counts: every success here is the server's word after the
 * sandbox's signed notification (or the server's own query).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatYuan, localDate, type AdmissionView, type AppointmentView, type BillView, type FailedRefundView, type ScheduleView } from '@hospital/shared';
import { devLogin, launch, phone, shot } from './browser';
import { apiToken, request } from './api';

const urls = inject('urls');
const ADMISSION = 'adm-city-his-ZY20250001';
const ME = 'p-demo-zhang-jianguo';
const CHILD = 'p-demo-zhang-xiaoyu';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());


const tokenOf = apiToken;

const text = (page: Page, selector: string) => page.locator(selector).first().textContent({ timeout: 15_000 });

async function loggedIn(userId: string): Promise<Page> {
  const { page } = await phone(browser);
  await devLogin(page, userId);
  return page;
}

/** On the sandbox's checkout page (a different origin): check the amount, tap 支付 or 取消. */
async function checkout(page: Page, port: string, amount: number, button: 'pay' | 'cancel', name: string) {
  await page.waitForURL((u) => u.port === port && u.pathname === '/checkout', { timeout: 20_000 });
  await expect(page.locator('[data-testid=amount]').textContent()).resolves.toBe(formatYuan(amount));
  await shot(page, name);
  await page.locator(`[data-testid=${button}]`).click();
  await page.waitForURL((u) => u.port === String(new URL(urls.h5).port) && u.pathname === '/packages/payments/pages/result/index', { timeout: 20_000 });
}

describe('payments on H5 through the sandbox checkout', () => {
  it('a family tops up a deposit and sees the new balance; the cashier settles and the refund appears on the family’s page', async () => {
    const family = await tokenOf('demo-patient');
    const before = await request<AdmissionView>('GET', `/v1/admissions/${ADMISSION}`, { token: family });
    expect(before.status).toBe('active');
    const depositsBefore = before.ledger!.filter((e) => e.type === 'deposit').length;

    const page = await loggedIn('demo-patient');
    await page.goto(`${urls.h5}/packages/payments/pages/deposit/index`);
    await expect.poll(() => text(page, '#deposit-balance'), { timeout: 20_000 }).toBe(formatYuan(before.balance));
    await expect(text(page, '#admission-bed')).resolves.toContain('5A 病区 12 床');
    // The seed leaves ¥800, under the ¥1,000 line: the page says so in words.
    expect(before.lowBalance).toBe(true);
    await expect(text(page, '#low-balance')).resolves.toContain('余额不足');
    await shot(page, 'payments-01-deposit-low-balance');

    // A custom amount below the admission's minimum is refused on the page, before any order.
    await page.locator('#custom-amount input').fill('20');
    await page.locator('#deposit-pay').click();
    await expect(text(page, '#amount-error')).resolves.toBe(`单次预交不少于 ${formatYuan(before.deposit.min)}`);
    await shot(page, 'payments-02-deposit-amount-refused');

    // ¥1,000 preset, WeChat Pay (the H5 build offers both; the sandbox checkout stands in for the app).
    await page.locator('#preset-100000').click();
    await page.locator('#channel-wechat').click();
    await expect(text(page, '#deposit-pay')).resolves.toBe('预交 ¥1000.00');
    await page.locator('#deposit-pay').click();
    await checkout(page, '4001', 100_000, 'pay', 'payments-03-wechat-checkout');

    // The result page asks the server until the hospital has the money.
    await expect.poll(() => text(page, '#result-title'), { timeout: 30_000 }).toBe('支付成功');
    await expect(text(page, '#result-amount')).resolves.toBe('¥1000.00');
    await shot(page, 'payments-04-deposit-paid');

    await page.locator('#result-next').click();
    const topped = before.balance + 100_000;
    await expect.poll(() => text(page, '#deposit-balance'), { timeout: 20_000 }).toBe(formatYuan(topped));
    await expect(page.locator('#low-balance').count()).resolves.toBe(0);
    const newest = page.locator('.ledger-entry').first();
    await expect(newest.textContent()).resolves.toContain('+¥1000.00');
    await expect(newest.textContent()).resolves.toContain('微信支付');
    await shot(page, 'payments-05-deposit-topped-up');
    const after = await request<AdmissionView>('GET', `/v1/admissions/${ADMISSION}`, { token: family });
    expect(after.balance).toBe(topped);
    expect(after.ledger!.filter((e) => e.type === 'deposit')).toHaveLength(depositsBefore + 1);

    // The cashier, in a browser of her own: find the bed, see the same balance, settle after a confirmation.
    const desk = await loggedIn('demo-cashier');
    await desk.goto(`${urls.h5}/packages/staff/pages/index/index`);
    await desk.locator('#staff-admissions').click();
    await desk.locator('#adm-search input').fill('5A-12');
    await expect.poll(() => desk.locator('#adm-list .staff-menu__item').count(), { timeout: 20_000 }).toBe(1);
    await shot(desk, 'payments-06a-cashier-finds-bed');
    await desk.locator(`#adm-${ADMISSION}`).click();
    await expect.poll(() => text(desk, '#deposit-balance'), { timeout: 20_000 }).toBe(formatYuan(topped));
    await desk.locator('#settle-start').click();
    await expect(text(desk, '#settle-preview')).resolves.toContain(`退回押金 ${formatYuan(topped)}`);
    await shot(desk, 'payments-06-cashier-confirm-settlement');
    await desk.locator('#settle-confirm-btn').click();
    await expect.poll(() => text(desk, '#admission-status'), { timeout: 30_000 }).toBe('已结清出院');
    await expect(text(desk, '#settlement-refund-total')).resolves.toContain(`退回押金 ${formatYuan(topped)}`);
    await shot(desk, 'payments-07-cashier-settled');

    // Back on the family's page (it refreshes by itself; a reload is what a person would do anyway).
    await page.reload();
    await expect.poll(() => text(page, '#admission-status'), { timeout: 30_000 }).toBe('已结清出院');
    await expect(text(page, '#settlement-refund-total')).resolves.toContain(formatYuan(topped));
    // Newest deposit first: the ¥1,000 top-up goes back whole, the rest from the deposit before it.
    const lines = await page.locator('.settlement-refund').allTextContents();
    expect(lines[0]).toContain('微信支付');
    expect(lines[0]).toContain('¥1000.00');
    await expect(page.locator('#top-up').count()).resolves.toBe(0);
    await expect(text(page, '#deposit-balance')).resolves.toBe('¥0.00');
    await shot(page, 'payments-08-family-sees-refund');

    const settled = await request<AdmissionView>('GET', `/v1/admissions/${ADMISSION}`, { token: family });
    expect(settled.balance).toBe(0);
    expect(settled.settlement!.refunds.reduce((s, r) => s + r.amount, 0)).toBe(topped);
    expect(settled.ledger!.reduce((s, e) => s + e.amount, 0)).toBe(0);
    expect(settled.settlement!.refunds[0].amount).toBe(100_000);
  });

  it('门诊缴费: a parent pays one of a child’s two bills; the other stays unpaid', async () => {
    const family = await tokenOf('demo-patient');
    const { items } = await request<{ items: BillView[] }>('GET', `/v1/me/bills?patientId=${CHILD}`, { token: family });
    expect(items.length).toBeGreaterThanOrEqual(2);
    const [first, second] = items;

    const page = await loggedIn('demo-patient');
    await page.goto(`${urls.h5}/packages/payments/pages/outpatient/index`);
    await page.locator(`#person-${CHILD}`).click();
    await expect.poll(() => page.locator('#bills .bill').count(), { timeout: 20_000 }).toBe(items.length);
    const all = items.reduce((s, b) => s + b.total, 0);
    await expect(text(page, '#bills-total')).resolves.toBe(formatYuan(all));
    await shot(page, 'payments-09-bills');

    // Untick the second: the total follows, in fen.
    await page.locator(`#bill-${second.id} .bill__head`).click();
    await expect.poll(() => text(page, '#bills-total')).toBe(formatYuan(all - second.total));
    await page.locator('#channel-alipay').click();
    await page.locator('#bills-pay').click();
    await checkout(page, '4002', all - second.total, 'pay', 'payments-10-alipay-checkout');
    await expect.poll(() => text(page, '#result-title'), { timeout: 30_000 }).toBe('支付成功');
    await shot(page, 'payments-11-bill-paid');

    await page.locator('#result-next').click();
    await page.locator(`#person-${CHILD}`).click();
    await expect.poll(() => page.locator(`#bill-${first.id}`).count(), { timeout: 20_000 }).toBe(0);
    await expect(page.locator(`#bill-${second.id}`).count()).resolves.toBe(1);
    const left = await request<{ items: BillView[] }>('GET', `/v1/me/bills?patientId=${CHILD}&status=all`, { token: family });
    expect(left.items.find((b) => b.id === first.id)?.status).toBe('paid');
    expect(left.items.find((b) => b.id === second.id)?.status).toBe('unpaid');
  });

  it('a payment whose notification never arrives shows “confirming with the bank”, then success once the server’s own query finds it', async () => {
    const family = await tokenOf('demo-patient');
    const { items } = await request<{ items: BillView[] }>('GET', `/v1/me/bills?patientId=${CHILD}`, { token: family });
    expect(items).toHaveLength(1);
    const page = await loggedIn('demo-patient');
    await page.goto(`${urls.h5}/packages/payments/pages/outpatient/index?patientId=${CHILD}`);
    await expect.poll(() => text(page, '#bills-total'), { timeout: 20_000 }).toBe(formatYuan(items[0].total));
    await page.locator('#channel-wechat').click();
    await page.locator('#bills-pay').click();
    await page.waitForURL((u) => u.port === '4001' && u.pathname === '/checkout', { timeout: 20_000 });
    // The person comes back without the sandbox saying anything (as after an app switch).
    const back = new URL(new URL(page.url()).searchParams.get('return')!);
    const orderNo = back.searchParams.get('orderNo')!;
    await page.goto(back.toString());
    await expect.poll(() => text(page, '#result-title'), { timeout: 20_000 }).toBe('支付结果确认中，正在与银行核对');
    await expect(page.locator('#result-checking').count()).resolves.toBe(1);
    await shot(page, 'payments-12-pending-confirming');

    // Paid at the provider with the notification lost: the result page's polling makes the server ask.
    const paid = await fetch(`${urls.wechat}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ out_trade_no: orderNo, notify: false }) });
    expect(paid.ok).toBe(true);
    await expect.poll(() => text(page, '#result-title'), { timeout: 40_000 }).toBe('支付成功');
    await shot(page, 'payments-13-confirmed-by-query');
    expect((await request<{ items: BillView[] }>('GET', `/v1/me/bills?patientId=${CHILD}`, { token: family })).items).toHaveLength(0);
  });

  it('挂号费: a cancelled checkout charges nothing and offers to continue; paying confirms the appointment', async () => {
    const family = await tokenOf('demo-patient');
    const mine = await request<{ items: AppointmentView[] }>('GET', '/v1/me/appointments?filter=active', { token: family });
    const { items } = await request<{ items: ScheduleView[] }>('GET', '/v1/doctors/doc-li-minghua/schedules');
    const session = items.find((s) => s.state === 'open' && s.fee > 0 && s.date > localDate() && !mine.items.some((a) => a.schedule.id === s.id));
    expect(session, 'an open paid session in the seed').toBeTruthy();
    const held = await request<AppointmentView>('POST', '/v1/appointments', { token: family, body: { scheduleId: session!.id, patientId: ME } });
    expect(held.status).toBe('pending_payment');

    const page = await loggedIn('demo-patient');
    // Where the booking result's 去支付 leads.
    await page.goto(`${urls.h5}/packages/booking/pages/result/index?appointmentId=${held.id}`);
    await page.locator('#go-pay').click();
    await expect.poll(() => text(page, '#appointment-fee'), { timeout: 20_000 }).toBe(formatYuan(held.fee));
    await shot(page, 'payments-14-appointment-cashier');
    await page.locator('#channel-alipay').click();
    await page.locator('#appointment-pay').click();
    await checkout(page, '4002', held.fee, 'cancel', 'payments-15-alipay-checkout');
    await expect.poll(() => text(page, '#result-title'), { timeout: 20_000 }).toBe('您已取消支付');
    await shot(page, 'payments-16-cancelled');
    expect((await request<AppointmentView>('GET', `/v1/appointments/${held.id}`, { token: family })).status).toBe('pending_payment');

    // 继续支付: the same order (no second one), this time paid.
    await page.locator('#result-continue').click();
    await checkout(page, '4002', held.fee, 'pay', 'payments-17-alipay-checkout-again');
    await expect.poll(() => text(page, '#result-title'), { timeout: 30_000 }).toBe('支付成功');
    await page.locator('#result-next').click();
    await expect.poll(() => text(page, '#appointment-status'), { timeout: 20_000 }).toBe('预约成功');
    await shot(page, 'payments-18-appointment-confirmed');
    const paid = await request<AppointmentView>('GET', `/v1/appointments/${held.id}`, { token: family });
    expect(paid.status).toBe('confirmed');
    expect(paid.orderNo).toBeTruthy();
  });

  it('the cashier’s 退款异常 page, from the workbench, shows exactly the refunds the providers refused (or that there are none)', async () => {
    const failed = await request<{ items: FailedRefundView[] }>('GET', '/v1/staff/refunds/failed', { token: await tokenOf('demo-cashier') });
    const desk = await loggedIn('demo-cashier');
    await desk.goto(`${urls.h5}/packages/staff/pages/index/index`);
    await expect(text(desk, '#staff-refunds')).resolves.toContain('退款异常');
    await desk.locator('#staff-refunds').click();
    await expect.poll(() => desk.locator('#refunds-page #refund-list, #refunds-page .async-empty').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    if (failed.items.length === 0) {
      await expect(text(desk, '#refunds-page .async-empty')).resolves.toContain('没有失败的退款');
    } else {
      await expect(desk.locator('#refund-list .failed-refund').count()).resolves.toBe(failed.items.length);
      await expect(text(desk, '#refund-list .failed-refund')).resolves.toContain(formatYuan(failed.items[0].amount));
    }
    await shot(desk, 'payments-16-cashier-failed-refunds');
  });
});
