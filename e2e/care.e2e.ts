/**
 * Family-doctor contract and supervised TB medication in real browsers against the real local
 * stack (issue #9): the resident 张建国 signs a contract with 孙慧's team on H5 and writes to the
 * team; 孙慧 approves it and, as his clinician, creates a 2HRZE/4HR plan with his wife 李秀兰 as
 * supervisor; 李秀兰 logs in with her own account, accepts the role and confirms today's dose;
 * 张建国 then sees 100 % adherence for the day.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { addDays, localDate } from '@hospital/shared';
import { launch, phone, shot } from './browser';

const urls = inject('urls');
const PATIENT = 'p-demo-zhang-jianguo';
const SPOUSE = 'p-demo-li-xiulan';
const TEAM = 'team-caiyuan-sun';
const BASIC = 'pkg-caiyuan-basic';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function loginAs(page: Page, userId: string) {
  await page.goto(`${urls.h5}/pages/login/index`);
  await page.locator(`#dev-user-${userId}`).click();
  await page.waitForURL((u) => !u.pathname.includes('/pages/login'));
}

async function request<T>(method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Idempotency-Key': randomUUID() };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${urls.api}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const data = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(data)}`);
  return data;
}
const tokenOf = async (userId: string) => (await request<{ accessToken: string }>('POST', '/v1/auth/login', { body: { provider: 'dev', code: userId } })).accessToken;

const text = (page: Page, selector: string) => page.locator(selector).first().textContent({ timeout: 15_000 });

describe('家庭医生 and 服药督导 on H5', () => {
  it('sign → approve → TB plan with a family supervisor → dose confirmed → 100 % today', async () => {
    // 1. The resident signs from the home grid.
    const { page: resident } = await phone(browser);
    await loginAs(resident, 'demo-patient');
    await resident.goto(`${urls.h5}/`);
    await resident.locator('#service-familyDoctor').click();
    await resident.locator('#care-sign-first').click();
    await resident.locator(`#sign-person-${PATIENT}`).click();
    await resident.locator(`#sign-team-${TEAM}`).click();
    await resident.locator(`#sign-package-${BASIC}`).click();
    await resident.locator('#sign-condition-hypertension').click();
    await shot(resident, 'care-1-sign');
    // Submitting without accepting the agreement is refused on the page.
    await resident.locator('#sign-submit').click();
    await expect.poll(() => text(resident, '#sign-missing')).toContain('同意签约协议');
    await resident.locator('#sign-agree').click();
    await resident.locator('#sign-submit').click();
    await resident.waitForURL((u) => u.pathname.includes('/packages/care/pages/contract/'), { timeout: 15_000 });
    const contractId = new URL(resident.url()).searchParams.get('id')!;
    expect(contractId).toMatch(/^ct-/);
    await expect.poll(() => text(resident, `#contract-status-${contractId}`)).toBe('待团队审核');
    await shot(resident, 'care-2-pending');

    // 2. The team (孙慧) approves it from the workbench.
    const { page: doctor } = await phone(browser);
    await loginAs(doctor, 'demo-family-doctor');
    await doctor.goto(`${urls.h5}/packages/carestaff/pages/index/index`);
    await expect.poll(() => text(doctor, '#care-staff-contracts')).toContain('签约审核');
    await doctor.locator('#care-staff-contracts').click();
    await doctor.locator(`#approve-${contractId}`).click();
    await expect.poll(() => doctor.locator(`#approve-${contractId}`).count(), { timeout: 15_000 }).toBe(0);
    await doctor.locator('#contracts-tab-active').click();
    await expect.poll(() => text(doctor, `#staff-contract-${contractId}`)).toContain('签约中');
    await shot(doctor, 'care-3-approved');

    // The resident's card now shows the team's contacts; a message reaches the team.
    await resident.goto(`${urls.h5}/packages/care/pages/contract/index?id=${contractId}`);
    await expect.poll(() => text(resident, `#contract-status-${contractId}`)).toBe('签约中');
    await expect.poll(() => text(resident, '#contract-contacts')).toContain('孙慧');
    await shot(resident, 'care-4-contract-card');

    // 签约居民优先号: from the card to 孙慧's sessions, where the reserved places are his.
    const day = addDays(localDate(), 3);
    const scheduleId = `doc-sun-hui_${day.replaceAll('-', '')}_am`;
    const before = await request<{ placesLeft: number; reservedLeft: number }>('GET', `/v1/schedules/${scheduleId}`);
    expect(before.reservedLeft).toBeGreaterThan(0);
    await resident.locator('#contract-book-doc-sun-hui').click();
    await resident.waitForURL((u) => u.pathname.includes('/packages/booking/pages/schedules/'), { timeout: 15_000 });
    await resident.locator(`#date-${day}`).click();
    await expect.poll(() => text(resident, `#session-${scheduleId}`)).toContain(`另有签约居民优先号 ${before.reservedLeft} 个`);
    await resident.locator(`#session-${scheduleId}`).click();
    await expect.poll(() => text(resident, '#confirm-entitled')).toContain('签约居民');
    await shot(resident, 'care-4b-priority-booking');
    await resident.locator('#confirm-book').click();
    await resident.waitForURL((u) => u.pathname.includes('/packages/booking/pages/result/'), { timeout: 15_000 });
    const after = await request<{ placesLeft: number; reservedLeft: number }>('GET', `/v1/schedules/${scheduleId}`);
    expect(after).toMatchObject({ placesLeft: before.placesLeft, reservedLeft: before.reservedLeft - 1 });
    await resident.goto(`${urls.h5}/packages/care/pages/contract/index?id=${contractId}`);
    await resident.locator(`#contract-messages-${contractId}`).click();
    await resident.locator('#message-input input').fill('孙医生您好，我最近早上血压150/95');
    // The send button turns active once the text is in (Taro's input reports it asynchronously).
    await resident.locator('#message-send:not(.btn--disabled)').click();
    await expect.poll(() => text(resident, '#thread-messages')).toContain('血压150/95');
    await doctor.goto(`${urls.h5}/packages/carestaff/pages/threads/index`);
    await expect.poll(() => text(doctor, `#thread-${contractId}`)).toContain('血压150/95');
    await shot(doctor, 'care-5-team-inbox');

    // 3. The clinician creates a TB plan with the wife (a person on his account) as supervisor.
    await doctor.goto(`${urls.h5}/packages/carestaff/pages/plan-new/index?contractId=${contractId}`);
    await doctor.locator(`#plan-supervisor-family-${SPOUSE}`).click();
    await shot(doctor, 'care-6-plan-new');
    await doctor.locator('#plan-submit').click();
    await doctor.waitForURL((u) => u.pathname.includes('/packages/carestaff/pages/plan/'), { timeout: 20_000 });
    const planId = new URL(doctor.url()).searchParams.get('id')!;
    expect(planId).toMatch(/^plan-/);
    await expect.poll(() => text(doctor, '#staff-plan-page')).toContain('等待确认');

    // 4. 李秀兰 logs in with her own account, accepts, and confirms today's dose.
    const { page: wife } = await phone(browser);
    await loginAs(wife, 'demo-family');
    await wife.goto(`${urls.h5}/packages/care/pages/supervise/index`);
    await wife.locator(`#invitation-accept-${planId}`).click();
    const doseId = `${localDate()}_0800`;
    await wife.locator(`#confirm-${planId}-${doseId}`).click();
    await expect.poll(() => text(wife, `#dose-status-${doseId}`), { timeout: 15_000 }).toBe('已服药');
    await shot(wife, 'care-7-supervisor-confirmed');

    // 5. The patient sees today's dose taken: 100 %.
    await resident.goto(`${urls.h5}/packages/care/pages/medication/index`);
    await expect.poll(() => text(resident, `#plan-${planId}-ring`)).toContain('100%');
    expect(await text(resident, `#plan-${planId}-today`)).toContain('已服 1/1');
    expect(await text(resident, `#plan-${planId}-overall`)).toContain('100%');
    await shot(resident, 'care-8-patient-100');

    // The clinician's adherence table agrees.
    await doctor.goto(`${urls.h5}/packages/carestaff/pages/plans/index`);
    await expect.poll(() => text(doctor, `#adherence-${planId}`)).toContain('100%');
    await shot(doctor, 'care-9-adherence-table');
  });

  it('an answer reaches the resident live over the WebSocket, and a photo is served back byte for byte', async () => {
    const resident = await tokenOf('demo-patient');
    const doctor = await tokenOf('demo-family-doctor');
    const { items } = await request<{ items: { id: string; status: string }[] }>('GET', '/v1/me/contracts', { token: resident });
    const contractId = items.find((c) => c.status === 'active')!.id;

    const socket = new WebSocket(`${urls.websocket}?token=${encodeURIComponent(resident)}`);
    const frames: { type: string; data: { contractId: string; messageId: string } }[] = [];
    socket.on('message', (m) => frames.push(JSON.parse(String(m))));
    await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    const reply = await request<{ id: string }>('POST', `/v1/staff/contracts/${contractId}/messages`, { token: doctor, body: { text: '请明天上午来中心复查血压' } });
    await expect.poll(() => frames.find((f) => f.type === 'care.message')?.data.messageId, { timeout: 10_000 }).toBe(reply.id);
    socket.close();

    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const img = await request<{ id: string }>('POST', '/v1/care/images', { token: resident, body: { contentType: 'image/png', dataBase64: png.toString('base64') } });
    const msg = await request<{ imageUrl: string }>('POST', `/v1/contracts/${contractId}/messages`, { token: resident, body: { imageId: img.id } });
    const served = await fetch(`${urls.api}${msg.imageUrl}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
  });
});
