/**
 * The H5 site under its own security headers (scripts/lib/static.ts, the same the CDN must send):
 * the app logs in, loads its pages, calls the API and opens its live channel without a single
 * Content-Security-Policy violation; the API answers with nosniff and no-referrer.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { devLogin, launch, phone } from './browser';

const urls = inject('urls');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

/** Every CSP violation the page reports, recorded from before its first script runs. */
async function watch(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy: ${e.violatedDirective} blocked ${e.blockedURI}`));
  });
  return async () => seen;
}

describe('the H5 site’s security headers', () => {
  it('every page is sent with CSP, frame-ancestors, Referrer-Policy and nosniff (no HSTS over plain http)', async () => {
    const r = await fetch(`${urls.h5}/packages/booking/pages/index/index`);
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    expect(r.headers.get('content-security-policy')).toContain(urls.api);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(r.headers.get('strict-transport-security')).toBeNull();
    const api = await fetch(`${urls.api}/v1/health`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('the app runs under its CSP: patient pages, a report, the dispatch console, no violation', async () => {
    const { page } = await phone(browser);
    const violations = await watch(page);
    await devLogin(page, 'demo-patient');
    await page.goto(`${urls.h5}/`);
    await expect.poll(() => page.locator('#home-user-name').textContent(), { timeout: 15_000 }).toContain('张建国');
    for (const id of ['booking', 'reportQuery', 'healthRecord']) {
      await page.goto(`${urls.h5}/`);
      await page.locator(`#service-${id}`).click();
      await page.waitForLoadState('networkidle');
    }
    const { page: desk } = await phone(browser, { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
    const deskViolations = await watch(desk);
    await devLogin(desk, 'demo-dispatcher');
    await desk.goto(`${urls.h5}/packages/dispatch/pages/console/index`);
    await desk.waitForLoadState('networkidle');
    expect([...(await violations()), ...(await deskViolations())]).toEqual([]);
  });
});
