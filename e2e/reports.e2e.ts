/**
 * 报告查询 end to end against the real stack: a laboratory pushes a signed report for the demo
 * patient's person (张建国), the patient opens 报告查询 on H5, sees it with the high white-cell
 * count marked, shares with a doctor, the doctor (dev login) reads it, and the patient's access
 * log shows that read. Patient/$everything is fetched through serverless-offline (the `$` path).
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { devLogin, launch, phone, shot } from './browser';
import { apiToken, request } from './api';
import { idCardCheckChar } from '@hospital/shared';
import { fhirReport, hl7Report, signedHeaders } from '../functions/src/reports/test-fixtures';
import { DEMO_PATIENTS } from '../scripts/seed-catalog';

const urls = inject('urls');
let browser: Browser;
const zhang = DEMO_PATIENTS.find((p) => p.patientId === 'p-demo-zhang-jianguo')!;
const identifier = `E2E-CBC-${randomUUID().slice(0, 8)}`;
let reportId: string;

const { Fhir } = createRequire(import.meta.url)('fhir') as { Fhir: new () => { validate(o: unknown, opts: object): { valid: boolean; messages: unknown[] } } };

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function push(body: string, contentType: string) {
  const res = await fetch(`${urls.api}/v1/integrations/lab/reports`, { method: 'POST', headers: signedHeaders(body, { contentType }), body });
  return { status: res.status, body: (await res.json()) as { reports: { reportId: string; outcome: string; held: boolean }[]; error?: { code: string } } };
}



describe('报告查询 on H5', () => {
  it('a signed lab push is accepted once; a tampered one is refused', async () => {
    const now = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, '+00:00');
    const body = JSON.stringify(fhirReport({ identifier, idNumber: zhang.idNumber, family: '张', given: '建国', issued: now, collected: now }));
    const first = await push(body, 'application/fhir+json');
    expect(first.status).toBe(202);
    expect(first.body.reports[0]).toMatchObject({ outcome: 'created', held: false });
    reportId = first.body.reports[0].reportId;
    // The same report again, as HL7 v2 from the same lab: nothing new.
    const again = await push(hl7Report({ identifier, idNumber: zhang.idNumber, family: '张', given: '建国', issued: now, collected: now }), 'x-application/hl7-v2+er7');
    expect(again.body.reports[0]).toMatchObject({ reportId, outcome: 'duplicate' });
    const headers = signedHeaders(body);
    const tampered = await fetch(`${urls.api}/v1/integrations/lab/reports`, { method: 'POST', headers, body: body.replace('11.2', '4.2') });
    expect(tampered.status).toBe(401);
  });

  it('Patient/$everything is served through serverless-offline and validates as FHIR R4', async () => {
    const token = await apiToken('demo-patient');
    for (const path of ['$everything', '%24everything']) {
      const r = await fetch(`${urls.api}/v1/fhir/Patient/${zhang.patientId}/${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toContain('application/fhir+json');
      const bundle = (await r.json()) as { resourceType: string; entry: { resource: { resourceType: string; id: string } }[] };
      expect(bundle.resourceType).toBe('Bundle');
      expect(bundle.entry.some((e) => e.resource.resourceType === 'DiagnosticReport' && e.resource.id === reportId)).toBe(true);
      const result = new Fhir().validate(bundle, { errorOnUnexpected: true });
      expect((result.messages as { severity: string }[]).filter((m) => m.severity === 'error')).toEqual([]);
      expect(result.valid).toBe(true);
    }
    const doctor = await apiToken('demo-doctor');
    const refused = await fetch(`${urls.api}/v1/fhir/Patient/${zhang.patientId}/$everything`, { headers: { authorization: `Bearer ${doctor}` } });
    expect(refused.status).toBe(403);
  });

  it('the patient sees the new report with the abnormal value marked, shares it with a doctor, the doctor reads it and the access log shows that read', async () => {
    const { page } = await phone(browser);
    await devLogin(page, 'demo-patient');
    await page.goto(`${urls.h5}/`);
    await page.locator('#service-reportQuery').click();
    const card = page.locator(`#report-${reportId}`);
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(1);
    // Newest first, with its abnormal count in words.
    await expect(page.locator('.report-card').first().getAttribute('id')).resolves.toBe(`report-${reportId}`);
    await expect(card.locator('.report-card__abnormal').textContent()).resolves.toContain('2 项异常');
    await shot(page, 'reports-list');

    await card.click();
    const wbc = page.locator('#obs-6690-2');
    await expect.poll(() => wbc.count(), { timeout: 15_000 }).toBe(1);
    await expect(wbc.getAttribute('class')).resolves.toContain('obs-row--high');
    await expect(wbc.locator('.obs-flag').textContent()).resolves.toBe('↑ 偏高');
    await expect(wbc.locator('.obs-row__value').textContent()).resolves.toContain('11.2');
    await expect(wbc.locator('.obs-row__range').first().textContent()).resolves.toContain('3.5–9.5');
    // A normal value carries no alarm.
    await expect(page.locator('#obs-718-7').getAttribute('class')).resolves.toContain('obs-row--normal');
    await shot(page, 'reports-detail-abnormal');

    // The white-cell count across the seeded reports and this one.
    await page.locator('#trend-6690-2').click();
    await expect.poll(() => page.locator('.trend__dot').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await expect(page.locator('#trend-title').textContent()).resolves.toContain('白细胞计数');
    await shot(page, 'reports-trend');
    await page.goBack();

    // Share with 李明华 (city hospital, cardiology).
    await page.locator('#report-share').click();
    await page.locator('#share-org-org-city-hospital').click();
    await page.locator('#share-dept-dept-city-cardiology').click();
    await page.locator('#share-doctor-doc-li-minghua').click();
    await page.locator('#share-purpose-treatment').click();
    await page.locator('#share-submit').click();
    const granted = page.waitForResponse((r) => r.url().endsWith('/v1/me/consents') && r.request().method() === 'POST');
    await page.locator('.taro-modal__foot div', { hasText: '同意分享' }).click();
    const grant = await granted;
    expect(grant.status(), await grant.text()).toBe(201);
    // Other grants (a family-doctor team's) may already be listed: wait for this one.
    await expect.poll(() => page.locator('#consent-list').textContent(), { timeout: 15_000 }).toContain('李明华');
    await shot(page, 'reports-shared');

    // The doctor, on another phone.
    const { page: doc } = await phone(browser);
    await devLogin(doc, 'demo-doctor');
    await doc.goto(`${urls.h5}/packages/staff/pages/index/index`);
    await doc.locator('#staff-shared').click();
    // One card per grant: other flows may have shared 张建国 with this doctor for other purposes.
    const shared = doc.locator(`.shared-${zhang.patientId}-treatment`).first();
    await expect.poll(() => shared.count(), { timeout: 15_000 }).toBe(1);
    await shared.click();
    const docCard = doc.locator(`#report-${reportId}`);
    await expect.poll(() => docCard.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => doc.locator('#health-record').count(), { timeout: 15_000 }).toBe(1);
    await shot(doc, 'reports-doctor-patient');
    await docCard.click();
    await expect.poll(() => doc.locator('#obs-6690-2 .obs-flag').textContent({ timeout: 15_000 }), { timeout: 15_000 }).toBe('↑ 偏高');
    await expect(doc.locator('.staff-note').textContent()).resolves.toContain('已记录');
    await shot(doc, 'reports-doctor-detail');

    // Back on the patient's phone: the access log names the doctor and what they read.
    await page.goto(`${urls.h5}/packages/records/pages/access-log/index?patientId=${zhang.patientId}`);
    const entries = page.locator('#access-entries .access-entry');
    await expect.poll(() => entries.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const text = await page.locator('#access-entries').textContent();
    expect(text).toContain('李明华');
    expect(text).toContain('一份检查检验报告');
    expect(text).toContain('已授权查看');
    // The log never holds the data itself.
    expect(text).not.toContain('11.2');
    await shot(page, 'reports-access-log');
  });

  it('a report for an ID number nobody registered is held; a nurse catches a typo on the phone, gives it to 张建国 by ID number, the row goes and the patient has the report', async () => {
    // 张建国's name and birth date, but a sequence number nobody registered (with a valid check character).
    const first17 = `37090219650412${String(500 + Math.floor(Math.random() * 500))}`;
    const unknownId = first17 + idCardCheckChar(first17);
    expect(unknownId).not.toBe(zhang.idNumber);
    const now = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, '+00:00');
    const pushed = await push(
      JSON.stringify(fhirReport({ identifier: `E2E-HELD-${randomUUID().slice(0, 8)}`, idNumber: unknownId, family: '张', given: '建国', issued: now, collected: now })),
      'application/fhir+json',
    );
    expect(pushed.status).toBe(202);
    expect(pushed.body.reports[0]).toMatchObject({ outcome: 'created', held: true });
    const heldId = pushed.body.reports[0].reportId;

    const { page } = await phone(browser);
    await devLogin(page, 'demo-nurse');
    await page.goto(`${urls.h5}/packages/staff/pages/index/index`);
    await page.locator('#staff-lab-held').click();
    const row = page.locator(`#held-${heldId}`);
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    const rowText = await row.textContent();
    expect(rowText).toContain('血常规');
    expect(rowText).toContain('没有登记该身份证号的就诊人');
    expect(rowText).toContain('张建国');
    expect(rowText).toContain(`${unknownId.slice(0, 4)}**********${unknownId.slice(-4)}`);

    // A number too short: refused on the phone, under the input.
    await row.locator(`#held-id-${heldId} input`).fill('3709021965');
    await row.locator(`#held-match-${heldId}`).click();
    await expect.poll(() => page.locator(`#held-id-error-${heldId}`).textContent(), { timeout: 5_000 }).toContain('18位');
    await row.scrollIntoViewIfNeeded();
    await shot(page, 'reports-held-field-error');

    // 张建国's real ID number: the report is his.
    await row.locator(`#held-id-${heldId} input`).fill(zhang.idNumber);
    await expect(page.locator(`#held-id-error-${heldId}`).count()).resolves.toBe(0);
    const matched = page.waitForResponse((r) => r.url().endsWith(`/v1/staff/lab/held/${heldId}/match`) && r.request().method() === 'POST');
    await row.locator(`#held-match-${heldId}`).click();
    const res = await matched;
    expect(res.status(), await res.text()).toBe(200);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    await expect(page.locator('#held-ok').textContent()).resolves.toContain('已归属');
    await shot(page, 'reports-held-matched');

    // No longer held; in 张建国's reports.
    const nurse = await apiToken('demo-nurse');
    const held = await request<{ items: { id: string }[] }>('GET', '/v1/staff/lab/held', { token: nurse });
    expect(held.items.map((r) => r.id)).not.toContain(heldId);
    const patient = await apiToken('demo-patient');
    const mine = await request<{ items: { id: string }[] }>('GET', `/v1/me/reports?patientId=${zhang.patientId}`, { token: patient });
    expect(mine.items.map((r) => r.id)).toContain(heldId);
  });
});
