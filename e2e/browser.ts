/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** A phone-sized page, Chinese locale, Asia/Shanghai clock. */
export async function phone(browser: Browser, opts: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true, ...opts });
  const page = await context.newPage();
  return { context, page };
}

export async function shot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.waitForTimeout(700); // Taro's page-slide animation
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`) });
}

/**
 * Picks a demo user on the H5 dev login. `open: false` when the app already sent the page to the
 * login screen (it returns to where it came from afterwards).
 */
export async function devLogin(page: Page, userId: string, { open = true } = {}) {
  if (open) await page.goto(`${inject('urls').h5}/pages/login/index`);
  await page.locator(`#dev-user-${userId}`).click();
  await page.waitForURL((u) => !u.pathname.includes('/pages/login'));
}
