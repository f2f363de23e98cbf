/**
 * Booking from a printed QR code in a real browser against the real local stack (issue #3):
 * a resident scans the Mount Tai station's code, logs in, adds a family member, books a free
 * session, finds it in 我的预约, checks in and watches the queue move as staff call the next
 * patient — the page updates by itself (polling every few seconds), never by a reload.
 *
 * Who calls: the station's nurse (demo-station-nurse); staff call only their own organisation's
 * sessions.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { idCardCheckChar, localDate, type AppointmentView, type ScheduleView } from '@hospital/shared';
import { devLogin, launch, phone, shot } from './browser';
import { apiToken, request } from './api';

const urls = inject('urls');
const STATION_QR = 'st-taishan-01';
const STATION_DEPT = 'dept-station-remote';
const STATION_DOCTOR = 'doc-zhao-shan';

let browser: Browser;


const tokenOf = apiToken;

/**
 * A free session of the station doctor that can be booked and checked in today. The seed has
 * 上午 and 下午; when neither is open any more the administrator opens a 夜间 session from now
 * for up to two hours (its own hours, bookable until it ends), so the flow runs at any hour.
 */
async function todaysFreeSession(): Promise<ScheduleView> {
  const today = localDate();
  const { items } = await request<{ items: ScheduleView[] }>('GET', `/v1/doctors/${STATION_DOCTOR}/schedules?from=${today}&to=${today}`);
  const open = items.find((s) => s.state === 'open' && s.fee === 0);
  if (open) return open;
  const hm = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 16);
  const end = hm(Math.min(Date.now() + 2 * 3600_000, Date.parse(`${today}T23:59:00+08:00`)));
  const evening = await request<ScheduleView>('POST', '/v1/schedules', {
    token: await tokenOf('demo-admin'),
    body: { doctorId: STATION_DOCTOR, date: today, session: 'evening', capacity: 10, fee: 0, hours: { start: hm(Date.now()), end }, bookingClosesAt: `${today}T${end}:00+08:00` },
  });
  if (evening.state !== 'open') throw new Error(`the evening session of ${STATION_DOCTOR} is ${evening.state}`);
  return evening;
}


/** A phone page that reports script errors of the app (a broken build shows up here first). */
async function patientPhone() {
  const p = await phone(browser);
  p.page.on('pageerror', (e) => console.error(`[h5 pageerror] ${e.message.slice(0, 300)}`));
  return p;
}

const text = (page: Page, selector: string) => page.locator(selector).first().textContent({ timeout: 15_000 });

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('booking from a station QR code on H5', () => {
  it('scan → log in → add a person → book a free session → my appointments → check in → the queue moves when staff call', async () => {
    const session = await todaysFreeSession();

    // Someone is already waiting: a tourist booked and checked in before us (number 1).
    const tourist = await tokenOf('demo-tourist');
    const theirs = await request<AppointmentView>('POST', '/v1/appointments', { token: tourist, body: { scheduleId: session.id, patientId: 'p-demo-wang-xiaoyou' } });
    await request('POST', `/v1/appointments/${theirs.id}/check-in`, { token: tourist, body: {} });

    // 1. The printed code on the station's wall opens its departments (no login needed to look).
    const { page } = await patientPhone();
    await page.goto(`${urls.h5}/qr?c=${STATION_QR}`);
    // The first calls may meet cold functions on a busy machine: give them time.
    await expect.poll(() => text(page, '#org-name'), { timeout: 60_000 }).toContain('南天门');
    await shot(page, 'booking-01-station-from-qr');

    // 2. Department → doctor → today's sessions with places left.
    await page.locator(`#dept-${STATION_DEPT}`).click();
    await expect.poll(() => text(page, '#dept-name')).toContain('远程诊室');
    await page.locator(`#doctor-${STATION_DOCTOR}`).click();
    await expect.poll(() => text(page, `#session-${session.id}`)).toContain('剩余');
    await expect(text(page, `#session-${session.id}`)).resolves.toContain('免费');
    await shot(page, 'booking-02-sessions');

    // 3. Choosing a session needs a login: the dev login comes back to the confirm page.
    await page.locator(`#session-${session.id}`).click();
    await page.waitForURL((u) => u.pathname.includes('/pages/login'));
    await devLogin(page, 'demo-patient', { open: false });
    await expect.poll(() => text(page, '#confirm-summary'), { timeout: 20_000 }).toContain('赵山');

    // 4. Add a person: a wrong ID number is refused under its field, the right one saved.
    await page.locator('#add-patient').click();
    await page.locator('#patient-name input').fill('王秀英');
    await page.locator('#relation-parent').click();
    await page.locator('#patient-phone input').fill('13853800009');
    const first17 = '37090219480312002';
    const check = idCardCheckChar(first17);
    await page.locator('#patient-id-number input').fill(first17 + (check === '1' ? '2' : '1'));
    await page.locator('#save-patient').click();
    await expect.poll(() => text(page, '#error-idNumber')).toContain('校验位');
    await shot(page, 'booking-03-person-form-error');
    await page.locator('#patient-id-number input').fill(first17 + check);
    await expect(page.locator('#error-idNumber').count()).resolves.toBe(0);
    await page.locator('#save-patient').click();

    // Back on the confirm page the new person is listed with a masked ID and selected.
    const added = page.locator('.person', { hasText: '王秀英' });
    await expect.poll(() => added.textContent({ timeout: 15_000 })).toContain('已选择');
    const addedText = (await added.textContent()) ?? '';
    expect(addedText).toMatch(/3709\*{10}\d{3}[\dX]/);
    expect(addedText).not.toContain(first17);
    await shot(page, 'booking-04-confirm');

    // 5. Book: a free session is confirmed at once.
    await page.locator('#confirm-book').click();
    await expect.poll(() => text(page, '#result-status'), { timeout: 20_000 }).toBe('预约成功');
    await shot(page, 'booking-05-result');

    // 6. 我的预约 (the 预约 tab) lists it.
    await page.locator('#result-my-appointments').click();
    const card = page.locator('.appt', { hasText: '王秀英' });
    await expect.poll(() => card.textContent({ timeout: 15_000 })).toContain('赵山');
    await expect(card.textContent()).resolves.toContain('预约成功');
    await shot(page, 'booking-06-my-appointments');

    // 7. Open it and check in: number 2, one person ahead.
    await card.click();
    await page.locator('#check-in').click();
    await expect.poll(() => text(page, '#queue-mine'), { timeout: 20_000 }).toBe('2号');
    await expect.poll(() => text(page, '#queue-headline')).toBe('前面还有 1 人');
    await expect(text(page, '#queue-called')).resolves.toBe('未开始');
    await shot(page, 'booking-07-checked-in');

    // From here the patient's page must follow the calls by itself.
    let reloads = 0;
    page.on('load', () => reloads++);
    const detailUrl = page.url();

    // 8. Staff open the call screen in their own browser and call the next patient.
    const staff = await patientPhone();
    await devLogin(staff.page, 'demo-station-nurse');
    await staff.page.goto(`${urls.h5}/packages/staff/pages/queue/index?scheduleId=${session.id}`);
    await expect.poll(() => text(staff.page, '#staff-entries'), { timeout: 20_000 }).toContain('王*英');
    await staff.page.locator('#call-next').click();
    await expect.poll(() => text(staff.page, '#staff-last-called')).toContain('1号');
    await shot(staff.page, 'booking-08-staff-called-1');

    // 9. The patient sees it within a few seconds: number 1 called, they are next.
    await expect.poll(() => text(page, '#queue-called'), { timeout: 10_000, interval: 500 }).toBe('1号');
    await expect.poll(() => text(page, '#queue-headline'), { timeout: 10_000 }).toContain('下一位就是您');
    await shot(page, 'booking-09-next-is-you');

    // 10. The next call is theirs.
    await staff.page.locator('#call-next').click();
    await expect.poll(() => text(staff.page, '#staff-last-called')).toContain('2号');
    await expect.poll(() => text(page, '#queue-headline'), { timeout: 10_000, interval: 500 }).toBe('轮到您了，请到诊室就诊');
    await expect(text(page, '#queue-called')).resolves.toBe('2号');
    await shot(page, 'booking-10-your-turn');
    expect(reloads).toBe(0);
    expect(page.url()).toBe(detailUrl);
    await staff.context.close();
  });

  it('a paid session is held for payment with a countdown and 去支付 opens the cashier; cancel gives the place back; a second booking is refused', async () => {
    // A released city-hospital session after today (fee ¥50) where the family has no booking yet.
    const patient = await tokenOf('demo-patient');
    const mine = await request<{ items: AppointmentView[] }>('GET', '/v1/me/appointments?filter=active', { token: patient });
    const { items } = await request<{ items: ScheduleView[] }>('GET', '/v1/doctors/doc-li-minghua/schedules');
    const paid = items.find((s) => s.state === 'open' && s.fee > 0 && s.date > localDate() && !mine.items.some((a) => a.schedule.id === s.id));
    expect(paid, 'an open paid session in the seed').toBeTruthy();

    const { page } = await patientPhone();
    await page.goto(`${urls.h5}/pages/login/index`);
    await devLogin(page, 'demo-patient', { open: false });
    await page.goto(`${urls.h5}/packages/booking/pages/confirm/index?scheduleId=${paid!.id}`);
    await expect.poll(() => text(page, '#confirm-fee'), { timeout: 20_000 }).toBe('¥50.00');
    await page.locator('#patient-p-demo-zhang-jianguo').click();
    await page.locator('#confirm-book').click();
    await expect.poll(() => text(page, '#hold-countdown'), { timeout: 20_000 }).toMatch(/^(10:00|0\d:\d\d)$/);
    await expect(text(page, '#hold')).resolves.toContain('待支付 ¥50.00');
    await shot(page, 'booking-11-pending-payment');
    const appointmentId = new URL(page.url()).searchParams.get('appointmentId');
    expect(appointmentId).toMatch(/^ap-/);
    await page.locator('#go-pay').click();
    // 去支付 opens the payments cashier for this appointment (paying it: e2e/payments.e2e.ts).
    await expect.poll(() => text(page, '#appointment-fee'), { timeout: 15_000 }).toBe('¥50.00');

    // Cancel it from its detail page, after a confirmation: the place comes back.
    const before = (await request<ScheduleView>('GET', `/v1/schedules/${paid!.id}`)).placesLeft;
    await page.goto(`${urls.h5}/packages/booking/pages/appointment/index?appointmentId=${appointmentId}`);
    await page.locator('#cancel-appointment').click();
    await expect.poll(() => page.locator('.taro-modal__content').textContent({ timeout: 10_000 })).toContain('确定取消');
    await page.locator('.taro-model__confirm', { hasText: '确定取消' }).click();
    await expect.poll(() => text(page, '#appointment-status'), { timeout: 15_000 }).toBe('已取消');
    await expect(page.locator('#cancel-appointment').count()).resolves.toBe(0);
    expect((await request<ScheduleView>('GET', `/v1/schedules/${paid!.id}`)).placesLeft).toBe(before + 1);
    await shot(page, 'booking-12-cancelled');

    // A person already booked in a session cannot be booked again: refused in plain words.
    await page.goto(`${urls.h5}/packages/booking/pages/confirm/index?scheduleId=${paid!.id}`);
    await page.locator('#patient-p-demo-zhang-xiaoyu').click();
    await page.locator('#confirm-book').click();
    await expect.poll(() => text(page, '#hold-countdown'), { timeout: 20_000 }).toMatch(/^(10:00|0\d:\d\d)$/);
    await page.goto(`${urls.h5}/packages/booking/pages/confirm/index?scheduleId=${paid!.id}`);
    await page.locator('#patient-p-demo-zhang-xiaoyu').click();
    await page.locator('#confirm-book').click();
    await expect.poll(() => text(page, '#refusal'), { timeout: 20_000 }).toContain('已有预约');
    await shot(page, 'booking-13-already-booked');
  });
});
