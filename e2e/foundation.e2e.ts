/**
 * The foundation in a real browser against the real local stack: a patient logs in with the
 * dev login, sees the home grid, moves to a tab, reloads and is still logged in.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { devLogin, launch, phone, shot } from './browser';

const urls = inject('urls');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('foundation on H5', () => {
  it('the API reports itself and its table healthy', async () => {
    const r = await fetch(`${urls.api}/v1/health`);
    expect(await r.json()).toMatchObject({ status: 'ok', table: { status: 'ACTIVE' } });
  });

  it('a patient logs in, sees the service grid, changes tab and stays logged in after a reload', async () => {
    const { page } = await phone(browser);
    await devLogin(page, 'demo-patient');
    await page.goto(`${urls.h5}/`);
    await expect.poll(() => page.locator('#home-user-name').textContent(), { timeout: 15_000 }).toContain('张建国');
    for (const id of ['booking', 'outpatientPayment', 'inpatientDeposit', 'reportQuery', 'videoVisit', 'emergency', 'healthRecord']) {
      await expect(page.locator(`#service-${id}`).count()).resolves.toBe(1);
    }
    await shot(page, 'foundation-home');

    await page.locator('.weui-tabbar__item', { hasText: '我的' }).click();
    await expect.poll(() => page.locator('#me-name').textContent(), { timeout: 10_000 }).toContain('张建国');
    await page.reload();
    await expect.poll(() => page.locator('#me-name').textContent(), { timeout: 15_000 }).toContain('张建国');
    await expect(page.locator('#me-roles').textContent()).resolves.toContain('患者');
    await shot(page, 'foundation-me-after-reload');
  });

  it('a grid entry opens its own page, not a placeholder', async () => {
    const { page } = await phone(browser);
    await devLogin(page, 'demo-patient');
    await page.goto(`${urls.h5}/`);
    // 住院押金 is built now (issue #4): the demo admission's account, no 即将上线.
    await page.locator('#service-inpatientDeposit').click();
    await expect.poll(() => page.locator('#admission-card').count(), { timeout: 15_000 }).toBe(1);
    await expect(page.locator('.coming-soon').count()).resolves.toBe(0);
  });
});
