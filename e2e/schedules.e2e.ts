/**
 * 排班管理 in a real browser against the real local stack: the administrator (demo-admin, an
 * admin of three organisations, so it picks one) opens 医护工作台 → 排班管理, picks the station doctor, is told under
 * the input that 优先号 cannot exceed the places (the shared schema, nothing sent), opens a free
 * 夜间 session a few days ahead with 2 签约居民优先号 and sees it listed; a patient books it through
 * the API; the administrator stops it (停诊) with a reason and the page says the appointment was
 * cancelled and the patient told — the API shows the appointment `stopped`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, localDate, scheduleIdOf, type AppointmentView, type ScheduleView } from '@hospital/shared';
import { devLogin, launch, phone, shot } from './browser';
import { apiToken, request } from './api';

const urls = inject('urls');
/** Doctors of organisations demo-admin administers (the station and the community centre, among its memberships) whose seed has no 夜间 sessions. */
const CANDIDATES = [
  { orgId: 'org-taishan-station', doctorId: 'doc-zhao-shan' },
  { orgId: 'org-community-centre', doctorId: 'doc-sun-hui' },
];
const PATIENT_PERSON = 'p-demo-zhang-jianguo';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const text = (page: Page, selector: string) => page.locator(selector).first().textContent({ timeout: 15_000 });

/**
 * A free evening to plan: 3–6 days ahead (already released at 08:00 seven days before, so the
 * patient can book it at once) where the doctor has no 夜间 session yet.
 */
async function freeEvening(): Promise<{ orgId: string; doctorId: string; date: string }> {
  for (const c of CANDIDATES) {
    const from = addDays(localDate(), 3);
    const to = addDays(localDate(), 6);
    const { items } = await request<{ items: ScheduleView[] }>('GET', `/v1/doctors/${c.doctorId}/schedules?from=${from}&to=${to}`);
    for (let d = 3; d <= 6; d++) {
      const date = addDays(localDate(), d);
      if (!items.some((s) => s.date === date && s.session === 'evening')) return { ...c, date };
    }
  }
  throw new Error('no free evening left for the candidate doctors');
}

describe('排班管理 on H5', () => {
  it('an admin opens a session with 签约居民优先号, a patient books it, the admin stops it and the patient’s appointment is stopped', async () => {
    const { orgId, doctorId, date } = await freeEvening();
    const scheduleId = scheduleIdOf(doctorId, date, 'evening');

    const { page } = await phone(browser);
    page.on('pageerror', (e) => console.error(`[h5 pageerror] ${e.message.slice(0, 300)}`));
    await devLogin(page, 'demo-admin');
    await page.goto(`${urls.h5}/packages/staff/pages/index/index`);
    await expect.poll(() => text(page, '#staff-schedules'), { timeout: 30_000 }).toContain('排班管理');
    await expect(text(page, '#staff-schedules')).resolves.toContain('签约居民优先号');
    await page.locator('#staff-schedules').click();
    await page.waitForURL((u) => u.pathname.includes('/packages/staff/pages/schedules/index'));

    // The organisation (one of those demo-admin administers), then the doctor: their next 14 days.
    await page.locator(`#sched-org-${orgId}`).click({ timeout: 20_000 });
    await page.locator(`#sched-doctor-${doctorId}`).click({ timeout: 20_000 });
    await expect.poll(() => page.locator('#sched-list .sched-item').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await shot(page, 'schedules-01-doctor-sessions');

    // More 优先号 than places: the shared schema refuses it under the input, nothing is sent.
    await page.locator(`#sched-new-date-${date}`).click();
    await page.locator('#sched-new-session-evening').click();
    await page.locator('#sched-new-capacity input').fill('2');
    await page.locator('#sched-new-fee input').fill('0');
    await page.locator('#sched-new-reserved input').fill('3');
    await page.locator('#sched-create').click();
    await expect.poll(() => text(page, '#sched-new-reserved-error'), { timeout: 5_000 }).toBe('优先号不能多于总号源');
    await page.locator('#sched-new-reserved').scrollIntoViewIfNeeded();
    await shot(page, 'schedules-02-reserved-error');
    expect((await request<{ items: ScheduleView[] }>('GET', `/v1/doctors/${doctorId}/schedules?from=${date}&to=${date}`)).items.some((s) => s.id === scheduleId)).toBe(false);

    // 10 places, 2 held for contracted residents, free: created and listed.
    await page.locator('#sched-new-capacity input').fill('10');
    await page.locator('#sched-new-reserved input').fill('2');
    await expect(page.locator('#sched-new-reserved-error').count()).resolves.toBe(0);
    await page.locator('#sched-create').click();
    await expect.poll(() => text(page, '#sched-created'), { timeout: 15_000 }).toContain('已新增');
    await expect(text(page, '#sched-created')).resolves.toContain('签约居民优先号 2 个');
    await shot(page, 'schedules-03-created');
    const item = page.locator(`#sched-${scheduleId}`);
    await expect.poll(() => item.textContent({ timeout: 15_000 }), { timeout: 15_000 }).toContain('夜间 18:00-21:00');
    await expect(item.textContent()).resolves.toContain('余号 10 / 10');
    await expect(item.textContent()).resolves.toContain('签约优先号 剩 2 个');
    await expect(item.textContent()).resolves.toContain('免费');
    await item.scrollIntoViewIfNeeded();
    await shot(page, 'schedules-04-listed');

    // The same session again: 409 SCHEDULE_EXISTS in plain words.
    await page.locator(`#sched-new-date-${date}`).click();
    await page.locator('#sched-new-session-evening').click();
    await page.locator('#sched-create').click();
    await expect.poll(() => text(page, '#sched-new-error'), { timeout: 15_000 }).toContain('已有排班');

    // A patient books it (an ordinary place: 8 open, 2 held).
    const patient = await apiToken('demo-patient');
    const booked = await request<AppointmentView>('POST', '/v1/appointments', { token: patient, body: { scheduleId, patientId: PATIENT_PERSON } });
    expect(booked.status).toBe('confirmed');

    // 停诊: the reason is required, then confirmed in a dialog.
    await item.locator(`#sched-stop-${scheduleId}`).click();
    await page.locator('#sched-stop-confirm').click();
    await expect.poll(() => text(page, '#sched-stop-reason-error'), { timeout: 5_000 }).toBe('请填写停诊原因');
    await page.locator('#sched-stop-reason input').fill('医生临时外出会诊');
    await shot(page, 'schedules-05-stop-reason');
    await page.locator('#sched-stop-confirm').click();
    await expect.poll(() => page.locator('.taro-modal__content').textContent({ timeout: 10_000 })).toContain('医生临时外出会诊');
    await page.locator('.taro-model__confirm', { hasText: '确认停诊' }).click();
    await expect.poll(() => text(page, '#sched-stop-result'), { timeout: 20_000 }).toContain('1 个预约已取消');
    await expect(text(page, '#sched-stop-result')).resolves.toBe('已停诊，1 个预约已取消并通知患者，0 笔挂号费已申请退款');
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toContain('停诊原因：医生临时外出会诊');
    await expect(item.locator(`#sched-stop-${scheduleId}`).count()).resolves.toBe(0);
    await item.scrollIntoViewIfNeeded();
    await shot(page, 'schedules-06-stopped');

    // The patient's appointment is stopped.
    const after = await request<AppointmentView>('GET', `/v1/appointments/${booked.id}`, { token: patient });
    expect(after.status).toBe('stopped');
    expect((await request<ScheduleView>('GET', `/v1/schedules/${scheduleId}`)).state).toBe('stopped');
  });
});
