/**
 * A remote consultation in real browsers against the real local stack (issue #6): the station
 * doctor on Mount Tai (demo-station-doctor) starts a consultation for the demo patient with the
 * city specialist (demo-doctor); the patient opens it on H5, enters the room — the join call
 * returns an Agora token (test credentials configured for this stack, verified here offline) and
 * the room shows the local camera preview (Chromium's fake camera); the station doctor writes the
 * note and the prescription and ends the visit; the patient then sees both in the summary.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { devLogin, launch, phone, shot } from './browser';
import { apiToken, request } from './api';

const urls = inject('urls');
const env = inject('stackEnv');
const { AccessToken2, kRtcServiceType } = createRequire(import.meta.url)('agora-token/src/AccessToken2.js');

const PATIENT = 'p-demo-zhang-jianguo';
let browser: Browser;

beforeAll(async () => {
  browser = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
});
afterAll(() => browser?.close());



describe('video visits and remote consultation on H5', () => {
  it('station doctor + specialist + patient: token, local preview, notes and prescription after the end', async () => {
    // At the station's desk the patient shares the record with the station (consent, purpose consultation).
    const patientToken = await apiToken('demo-patient');
    await request('POST', '/v1/me/consents', {
      token: patientToken,
      body: { patientId: PATIENT, grantee: { type: 'org', id: 'org-taishan-station' }, purpose: 'consultation', scopes: ['record', 'reports', 'readings'], days: 1 },
    });

    // The station doctor starts the consultation and invites the city specialist.
    const { page: doc } = await phone(browser);
    await devLogin(doc, 'demo-station-doctor');
    await doc.goto(`${urls.h5}/packages/staff/pages/index/index`);
    await doc.locator('#staff-visits').click();
    await doc.locator('#staff-consult-new').click();
    await doc.locator('#consult-patient input').fill(PATIENT);
    await doc.locator('#consult-reason textarea').fill('游客登山后胸闷气短，血压 172/104，请心内科会诊');
    await doc.locator('#invite-doc-li-minghua').click();
    await shot(doc, 'visits-1-station-consult-form');
    await doc.locator('#consult-submit').click();
    await expect.poll(() => doc.locator('#staff-visit').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => doc.locator('#patient-summary').textContent(), { timeout: 15_000 }).toContain('张建国');
    await shot(doc, 'visits-2-station-workbench');
    const visitId = new URL(doc.url()).searchParams.get('id')!;
    expect(visitId).toMatch(/^vs-/);

    // The patient finds it under 视频问诊 and enters the room.
    const { page: pat } = await phone(browser);
    await devLogin(pat, 'demo-patient');
    await pat.goto(`${urls.h5}/`);
    await pat.locator('#service-videoVisit').click();
    await expect.poll(() => pat.locator(`#visit-${visitId}`).count(), { timeout: 15_000 }).toBe(1);
    await shot(pat, 'visits-3-patient-list');
    await pat.locator(`#visit-${visitId}`).click();
    await expect.poll(() => pat.locator('#visit-join').count(), { timeout: 15_000 }).toBe(1);
    const joined = pat.waitForResponse((r) => r.url().endsWith(`/v1/visits/${visitId}/join`) && r.request().method() === 'POST');
    await pat.locator('#visit-join').click();
    const join = await (await joined).json();
    expect(join).toMatchObject({ appId: env.AGORA_APP_ID, uid: 1, status: 'waiting' });

    // The token, decoded offline and checked against the certificate.
    const t = new AccessToken2();
    expect(t.from_string(join.token)).toBe(true);
    expect(t.verifySignature(env.AGORA_APP_CERTIFICATE)).toBe(true);
    const rtc = t.services.find((s: { service_type(): number }) => s.service_type() === kRtcServiceType);
    expect(String(rtc.__channel_name)).toBe(join.channel);
    expect(String(rtc.__uid)).toBe('1');
    expect(Object.keys(rtc.__privileges).map(Number).sort()).toEqual([1, 2, 3, 4]);
    expect(Math.abs(t.issueTs + t.expire - Date.parse(join.expiresAt) / 1000)).toBeLessThanOrEqual(1);

    // Chromium's fake camera plays in the local tile.
    await expect
      .poll(() => pat.evaluate(() => (document.querySelector('#room-tile-local video') as HTMLVideoElement | null)?.videoWidth ?? 0), { timeout: 20_000 })
      .toBeGreaterThan(0);
    // No route to Agora from here: the room gives up joining and says the other side cannot see you.
    await expect.poll(() => pat.locator('#room-notice').textContent(), { timeout: 20_000 }).toContain('仅显示本地画面');
    await shot(pat, 'visits-4-patient-room-local-preview');

    // The station doctor enters too (the visit starts), then writes the note and the prescription.
    await doc.locator('#staff-visit-join').click();
    await expect.poll(() => doc.locator('#room-tile-local video').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => doc.locator('#room').textContent(), { timeout: 10_000 }).toContain('张建国');
    await shot(doc, 'visits-5-doctor-room');
    await doc.locator('#room-leave').click();
    await expect.poll(() => doc.locator('#staff-visit-status').textContent(), { timeout: 15_000 }).toContain('问诊中');

    await doc.locator('#note-complaint input').fill('登山后胸闷气短2小时');
    await doc.locator('#note-diagnosis input').fill('高血压2级');
    await doc.locator('#note-advice textarea').fill('休息吸氧，监测血压，下山后心内科门诊复诊');
    await doc.locator('#note-submit').click();
    await expect.poll(() => doc.locator('.visit-note').count(), { timeout: 15_000 }).toBe(1);

    await doc.locator('#rx-diagnosis input').fill('高血压2级');
    await doc.locator('#rx-drug-amlodipine-5').click();
    await doc.locator('#rx-dose input').fill('5mg');
    await doc.locator('#rx-days input').fill('14');
    await doc.locator('#rx-quantity input').fill('2');
    await doc.locator('#rx-add').click();
    await doc.locator('#rx-submit').click();
    await expect.poll(() => doc.locator('.visit-rx').count(), { timeout: 15_000 }).toBe(1);
    await doc.locator('.visit-rx').scrollIntoViewIfNeeded();
    await shot(doc, 'visits-6-doctor-notes-prescription');

    await doc.locator('#staff-visit-end').click();
    await doc.locator('.taro-modal__foot div', { hasText: '结束' }).click();
    await expect.poll(() => doc.locator('#staff-visit-status').textContent(), { timeout: 15_000 }).toContain('已结束');

    // The patient's room notices the end; the summary shows the note and the prescription.
    await expect.poll(() => pat.locator('#room-notice').textContent(), { timeout: 20_000 }).toContain('结束');
    await pat.locator('#room-leave').click();
    await expect.poll(() => pat.locator('#visit-status').textContent(), { timeout: 15_000 }).toContain('已结束');
    await expect.poll(() => pat.locator('.visit-note').textContent(), { timeout: 10_000 }).toContain('下山后心内科门诊复诊');
    const rx = await pat.locator('.visit-rx').textContent();
    expect(rx).toContain('苯磺酸氨氯地平片');
    expect(rx).toContain('药师审核中');
    await pat.locator('.visit-note').scrollIntoViewIfNeeded();
    await shot(pat, 'visits-7-patient-summary');
  });
});
