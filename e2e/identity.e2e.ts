/**
 * 实名认证 end to end against the real stack: 王小游 adds 张建国 (his father-in-law, say) with the
 * real ID number: the reports are hidden; the SMS code goes to the phone the hospital has on record
 * for 张建国 (read from the Tencent sandbox, as he would read his phone), and then they show.
 * And 张建国 adds his mother 刘桂芳, who has no smartphone: the window code, and a nurse of the city
 * hospital checks her card on 医护工作台 → 实名核验.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { devLogin, launch, phone, shot } from './browser';
import { apiToken, request } from './api';
import { DEMO_ELDER, DEMO_PATIENTS } from '../scripts/seed-catalog';

const urls = inject('urls');
let browser: Browser;
const zhang = DEMO_PATIENTS.find((p) => p.patientId === 'p-demo-zhang-jianguo')!;

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function addPerson(userId: string, body: Record<string, string>) {
  const token = await apiToken(userId);
  const people = await request<{ items: { id: string; name: string }[] }>('GET', '/v1/me/patients', { token });
  const there = people.items.find((p) => p.name === body.name);
  return there?.id ?? (await request<{ id: string }>('POST', '/v1/me/patients', { token, body })).id;
}

async function lastCode(phoneNo: string): Promise<string> {
  const res = await fetch(`${urls.tencent}/sandbox/sms?phone=${phoneNo}`);
  const messages = (await res.json()) as { params: string[] }[];
  return messages[0]?.params[0] ?? '';
}

async function openReportsOf(page: Page, patientId: string) {
  await page.goto(`${urls.h5}/pages/reports/index`);
  await page.locator(`#person-${patientId}`).click();
}

describe('实名认证 on H5', () => {
  it('a family member added by ID number: reports hidden, verified by the SMS code to their own phone, then shown', async () => {
    const patientId = await addPerson('demo-tourist', { name: zhang.name, relation: 'parent', phone: '13900000000', idNumber: zhang.idNumber });
    const { page } = await phone(browser);
    await devLogin(page, 'demo-tourist');
    await openReportsOf(page, patientId);
    await page.locator('#not-verified-go').waitFor({ timeout: 20_000 });
    await shot(page, 'identity-1-reports-hidden');
    await page.locator('#not-verified-go').click();
    await page.locator('#idv-way-sms').click();
    // The code goes to the phone on record (138****0001), never the 139… number the account typed.
    await expect(page.locator('#idv-sms-notice').textContent()).resolves.toContain('138****0001');
    await page.locator('#idv-sms-send').click();
    await page.locator('#idv-sms-sent').waitFor();
    await expect.poll(() => lastCode(zhang.phone), { timeout: 10_000 }).toMatch(/^\d{6}$/);
    expect(await lastCode('13900000000')).toBe('');
    await page.locator('#idv-sms-code input').fill(await lastCode(zhang.phone));
    await shot(page, 'identity-2-sms-code');
    await page.locator('#idv-sms-confirm').click();
    await page.locator('#idv-verified').waitFor({ timeout: 10_000 });
    await shot(page, 'identity-3-verified');
    await openReportsOf(page, patientId);
    await expect.poll(() => page.locator('.report-card').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await shot(page, 'identity-4-reports-shown');
  });

  it('an elder without a smartphone: the family shows the window code, a nurse checks the ID card and verifies her', async () => {
    const patientId = await addPerson('demo-patient', { name: DEMO_ELDER.name, relation: 'parent', phone: '13853800001', idNumber: DEMO_ELDER.idNumber });
    const family = await phone(browser);
    await devLogin(family.page, 'demo-patient');
    await family.page.goto(`${urls.h5}/packages/identity/pages/verify/index?patientId=${patientId}`);
    await family.page.locator('#idv-way-in_person').click();
    const code = (await family.page.locator('#idv-person-code').textContent({ timeout: 20_000 }))!.replace(/\D/g, '');
    expect(code).toMatch(/^\d{8}$/);
    await shot(family.page, 'identity-5-window-code');

    const nurse = await phone(browser);
    await devLogin(nurse.page, 'demo-nurse');
    await nurse.page.goto(`${urls.h5}/packages/identity/pages/staff-verify/index`);
    await nurse.page.locator('#staff-idv-code input').fill(code);
    await nurse.page.locator('#staff-idv-lookup').click();
    const person = nurse.page.locator('#staff-idv-person');
    await person.waitFor({ timeout: 20_000 });
    // Masked: the nurse compares, and types the number from the card in her hand.
    await expect(person.textContent()).resolves.toContain(DEMO_ELDER.name);
    await expect(person.textContent()).resolves.not.toContain(DEMO_ELDER.idNumber);
    await nurse.page.locator('#staff-idv-id-number input').fill(DEMO_ELDER.idNumber);
    await nurse.page.locator('#staff-idv-place input').fill('门诊一楼实名窗口');
    await nurse.page.locator('#staff-idv-confirm').click();
    // Irreversible: a confirmation first.
    await expect.poll(() => nurse.page.locator('.taro-modal__content').textContent({ timeout: 10_000 })).toContain('身份证');
    await nurse.page.locator('.taro-modal__foot div', { hasText: '已核对' }).click();
    await nurse.page.locator('#staff-idv-next').waitFor({ timeout: 10_000 });
    await shot(nurse.page, 'identity-6-nurse-verified');

    const token = await apiToken('demo-patient');
    const status = await request<{ verification: { state: string; method?: string; place?: string } }>('GET', `/v1/me/patients/${patientId}/verification`, { token });
    expect(status.verification).toMatchObject({ state: 'verified', method: 'in_person', place: '门诊一楼实名窗口', orgId: 'org-city-hospital' });
  });
});
