/**
 * Health kiosk in a real browser against the real local stack: a patient opens the kiosk's printed
 * QR URL on H5, types the one-time code the kiosk shows on its screen (the test reads it as the
 * kiosk does, by its signed request) and picks a person; the test then pushes a signed FHIR bundle
 * exactly as the kiosk would (with a grade-2 blood pressure); the patient sees the reading, its
 * alert and the trend. The next person opens the kiosk's on-screen QR, which fills the code in.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { idCardCheckChar, VitalCodes } from '@hospital/shared';
import { codeRequest, fhirBundle, fullCheckup, signedHeaders } from '../functions/src/devices/simulator';
import { DEMO_KIOSK } from '../scripts/seed-devices';
import { devLogin, launch, phone, shot } from './browser';

const urls = inject('urls');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function kioskPush(body: unknown) {
  const raw = JSON.stringify(body);
  const r = await fetch(`${urls.api}/v1/iot/readings`, { method: 'POST', headers: signedHeaders(DEMO_KIOSK.kioskId, DEMO_KIOSK.secret, raw), body: raw });
  return { status: r.status, body: (await r.json()) as { status: string; assigned: boolean; alerts: number; readings: number } };
}

/** What the kiosk's screen shows now: it asks by a signed request, as it signs its pushes. */
async function kioskScreen() {
  const { rawBody, headers } = codeRequest(DEMO_KIOSK.kioskId, DEMO_KIOSK.secret);
  const r = await fetch(`${urls.api}/v1/iot/kiosk-code`, { method: 'POST', headers, body: rawBody });
  expect(r.status).toBe(200);
  return (await r.json()) as { code: string; qrUrl: string; bound: boolean };
}

describe('health kiosk on H5', () => {
  it('a patient scans the kiosk code, picks a person, and sees the pushed reading, its alert and the trend', async () => {
    const { page } = await phone(browser);
    await devLogin(page, 'demo-patient');

    // The printed code: any camera opens this URL; the app resolves it to the kiosk page.
    await page.goto(`${urls.h5}/qr?c=${DEMO_KIOSK.kioskId}`);
    await expect.poll(() => page.locator('#kiosk-label').textContent(), { timeout: 20_000 }).toContain('南天门健康一体机');
    // Picking a person without the kiosk's code binds nothing (nobody binds a kiosk from afar).
    await page.locator('#kiosk-person-p-demo-zhang-jianguo').click();
    await expect.poll(() => page.locator('#kiosk-code-error').textContent(), { timeout: 5_000 }).toContain('验证码');
    await expect(page.locator('#kiosk-bound').count()).resolves.toBe(0);
    // Standing at the kiosk, the person reads the code on its screen and types it.
    const screen = await kioskScreen();
    expect(screen.code).toMatch(/^\d{6}$/);
    await page.locator('#kiosk-code input').fill(screen.code);
    await shot(page, 'devices-kiosk-code');
    await page.locator('#kiosk-person-p-demo-zhang-jianguo').click();
    await expect.poll(() => page.locator('#kiosk-bound-who').textContent(), { timeout: 10_000 }).toContain('张建国');
    await expect(page.locator('#kiosk-countdown').textContent()).resolves.toMatch(/^1[45]:\d\d$/);
    await expect(page.locator('#kiosk-renew').textContent()).resolves.toContain('还可延长 2 次');
    await shot(page, 'devices-kiosk-bound');
    // One more session from now, counted against the cap.
    await page.locator('#kiosk-renew').click();
    await expect.poll(() => page.locator('#kiosk-renew').textContent(), { timeout: 10_000 }).toContain('还可延长 1 次');

    // The kiosk measures and pushes, signed with its secret.
    const pushed = await kioskPush(fhirBundle(fullCheckup({ sys: 165, dia: 102 }), { kioskId: DEMO_KIOSK.kioskId }));
    expect(pushed).toMatchObject({ status: 202, body: { status: 'accepted', assigned: true, alerts: 1, readings: 11 } });

    await page.locator('#kiosk-results').click();
    const bp = page.locator(`#latest-${VitalCodes.bpPanel}`);
    await expect.poll(() => bp.textContent(), { timeout: 15_000 }).toContain('165/102 mmHg');
    await expect(bp.textContent()).resolves.toContain('2级高血压');
    const alert = page.locator('#alert-list .alert-item').first();
    await expect(alert.textContent()).resolves.toContain('血压 165/102 mmHg（2级高血压）');
    await expect(alert.textContent()).resolves.toContain('异常');

    // The trend: 30 days of the seeded history plus today's reading, the newest dot marked.
    await expect.poll(() => page.locator('#trend-chart .trend-chart__dot').count(), { timeout: 15_000 }).toBeGreaterThan(10);
    await expect(page.locator('#trend-chart .trend-chart__dot--warning').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(page.locator('#trend-summary').textContent()).resolves.toContain('最近一次 165/102 mmHg（2级高血压）');
    await page.locator('#alert-list').scrollIntoViewIfNeeded();
    await shot(page, 'devices-readings-alert');
    await page.locator('#trend').scrollIntoViewIfNeeded();
    await shot(page, 'devices-readings-trend');

    // 7 days: only today's reading is left in the chart.
    await page.locator('#period-7').click();
    await expect.poll(() => page.locator('#trend-summary').textContent(), { timeout: 10_000 }).toContain('近7天测量');
    await page.locator(`#sign-${VitalCodes.heartRate}`).click();
    await expect.poll(() => page.locator('#trend-summary').textContent(), { timeout: 10_000 }).toContain('72 次/分');
    await shot(page, 'devices-readings-heart-rate');

    // Done measuring: the kiosk is freed, the person list is back.
    await page.goto(`${urls.h5}/qr?c=${DEMO_KIOSK.kioskId}`);
    await page.locator('#kiosk-end').click();
    await expect.poll(() => page.locator('#kiosk-person-p-demo-zhang-jianguo').count(), { timeout: 10_000 }).toBe(1);

    // The next person scans the QR beside the digits on the kiosk's screen: the code is filled in.
    const next = await kioskScreen();
    expect(next.code).not.toBe(screen.code);
    const onScreen = new URL(next.qrUrl);
    await page.goto(`${urls.h5}${onScreen.pathname}${onScreen.search}`);
    await expect.poll(() => page.locator('#kiosk-code input').inputValue(), { timeout: 20_000 }).toBe(next.code);
    await page.locator('#kiosk-person-p-demo-zhang-jianguo').click();
    await expect.poll(() => page.locator('#kiosk-bound-who').textContent(), { timeout: 10_000 }).toContain('张建国');
    await page.locator('#kiosk-end').click();
    await expect.poll(() => page.locator('#kiosk-person-p-demo-zhang-jianguo').count(), { timeout: 10_000 }).toBe(1);
  });

  it('a push with nobody bound waits for staff, who give it to the person by ID number and name', async () => {
    const pushed = await kioskPush(fhirBundle(fullCheckup({ sys: 150, dia: 95, glucose: 2.8 }), { kioskId: DEMO_KIOSK.kioskId }));
    expect(pushed).toMatchObject({ status: 202, body: { status: 'accepted', assigned: false, alerts: 0 } });

    const { page } = await phone(browser);
    await devLogin(page, 'demo-station-doctor');
    await page.goto(`${urls.h5}/packages/devices/pages/staff/index`);
    const card = page.locator('.unassigned').filter({ hasText: '血糖 2.8 mmol/L' });
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    await expect(card.textContent()).resolves.toContain('2级低血糖·危急');
    await card.locator('.btn', { hasText: '分配给就诊人' }).click();
    const first17 = '37090219650412003';
    await card.locator('[id^="assign-name-"] input').fill('张建国');
    await card.locator('[id^="assign-id-"] input').fill(first17 + idCardCheckChar(first17));
    await shot(page, 'devices-staff-assign');
    await card.locator('.btn', { hasText: '分配给此人' }).click();
    await expect.poll(() => page.locator('.unassigned').filter({ hasText: '血糖 2.8 mmol/L' }).count(), { timeout: 10_000 }).toBe(0);
    // The station's alerts now include the critical glucose of 张建国.
    await page.reload();
    await expect.poll(() => page.locator('.kiosk-staff').textContent(), { timeout: 15_000 }).toContain('张建国：血糖 2.8 mmol/L（2级低血糖）');
    await shot(page, 'devices-staff-alerts');

    // 张建国 sees it, with the emergency call offered.
    const patient = await phone(browser);
    await devLogin(patient.page, 'demo-patient');
    await patient.page.goto(`${urls.h5}/packages/devices/pages/readings/index?patientId=p-demo-zhang-jianguo`);
    const critical = patient.page.locator('#alert-list .alert-item--critical').first();
    await expect.poll(() => critical.textContent(), { timeout: 15_000 }).toContain('血糖 2.8 mmol/L（2级低血糖）');
    await expect(critical.locator('.alert-sos').count()).resolves.toBe(1);
    await shot(patient.page, 'devices-readings-critical');
  });
});

describe('一体机管理 on H5', () => {
  it('an admin registers a kiosk, configures its secret (a signed push is accepted), and rotates it', async () => {
    const { page } = await phone(browser);
    await devLogin(page, 'demo-admin');
    await page.goto(`${urls.h5}/packages/staff/pages/index/index`);
    await page.locator('#staff-kiosk-admin').click();
    await page.waitForURL((u) => u.pathname.includes('/packages/devices/pages/admin/index'));
    await expect.poll(() => page.locator(`#kiosk-${DEMO_KIOSK.kioskId}`).textContent(), { timeout: 20_000 }).toContain('南天门健康一体机');
    await expect(page.locator(`#kiosk-${DEMO_KIOSK.kioskId}`).textContent()).resolves.toContain('泰山南天门远程医疗工作站');
    await shot(page, 'devices-admin-list');

    // Sent empty: the shared schema names what is missing, under the inputs; nothing is sent.
    await page.locator('#kiosk-create').click();
    await expect.poll(() => page.locator('#kiosk-new-orgId-error').textContent(), { timeout: 5_000 }).toBe('请选择机构');
    await expect(page.locator('#kiosk-new-label-error').textContent()).resolves.toBe('请填写名称');
    await page.locator('#kiosk-create').scrollIntoViewIfNeeded();
    await shot(page, 'devices-admin-form-errors');

    const label = `社区一体机 ${Date.now().toString(36)}`;
    await page.locator('#kiosk-org-org-community-centre').click();
    await page.locator('#kiosk-new-label input').fill(label);
    await expect.poll(() => page.locator('#kiosk-new-label-error').count()).toBe(0);
    await page.locator('#kiosk-create').click();

    // The secret, once, with the QR URL to print.
    const box = page.locator('#kiosk-secret');
    await expect.poll(() => box.textContent(), { timeout: 15_000 }).toContain('密钥只显示这一次，请立即配置到一体机');
    const kioskId = ((await page.locator('#kiosk-secret-kiosk-id').textContent()) ?? '').trim();
    const secret = ((await page.locator('#kiosk-secret-value').textContent()) ?? '').trim();
    expect(kioskId).toMatch(/^kiosk-[0-9a-f]{10}$/);
    expect(secret.length).toBeGreaterThanOrEqual(40);
    await expect(page.locator('#kiosk-secret-qr').textContent()).resolves.toContain(kioskId);
    await expect.poll(() => page.locator(`#kiosk-${kioskId}`).textContent(), { timeout: 10_000 }).toContain(label);
    await expect(page.locator(`#kiosk-${kioskId}`).textContent()).resolves.toContain('泰山区财源街道社区卫生服务中心');
    await shot(page, 'devices-admin-secret');

    // The kiosk, configured with it, pushes; nobody is bound, so the readings wait for staff.
    const push = async (secretValue: string) => {
      const raw = JSON.stringify(fhirBundle(fullCheckup(), { kioskId }));
      const r = await fetch(`${urls.api}/v1/iot/readings`, { method: 'POST', headers: signedHeaders(kioskId, secretValue, raw), body: raw });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    expect(await push(secret)).toMatchObject({ status: 202, body: { status: 'accepted', assigned: false } });

    // Rotating asks first; the new secret is shown once, and both it and the previous one work.
    await page.locator('#kiosk-secret-done').click();
    await expect.poll(() => box.count()).toBe(0);
    await page.locator(`#kiosk-rotate-${kioskId}`).scrollIntoViewIfNeeded();
    await page.locator(`#kiosk-rotate-${kioskId}`).click();
    await expect.poll(() => page.locator('.taro-modal__content').textContent({ timeout: 10_000 })).toContain(label);
    await shot(page, 'devices-admin-rotate-confirm');
    await page.locator('.taro-modal__foot div', { hasText: '更换' }).click();
    await expect.poll(() => box.textContent(), { timeout: 15_000 }).toContain('已更换密钥');
    const rotated = ((await page.locator('#kiosk-secret-value').textContent()) ?? '').trim();
    expect(rotated).not.toBe(secret);
    expect(rotated.length).toBeGreaterThanOrEqual(40);
    await expect.poll(() => page.locator(`#kiosk-${kioskId}`).textContent(), { timeout: 10_000 }).toContain('密钥 2 个有效');
    await shot(page, 'devices-admin-rotated');

    expect(await push(rotated)).toMatchObject({ status: 202, body: { status: 'accepted' } });
    expect(await push(secret)).toMatchObject({ status: 202, body: { status: 'accepted' } });
    expect((await push('not-the-secret')).status).toBe(401);
  });
});
