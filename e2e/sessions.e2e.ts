/**
 * 退出所有设备 on 我的 (issue #14): the same staff account logged in on two phones; one signs out
 * everywhere; both are logged out — the other within seconds, on its next call.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { devLogin, launch, phone, shot } from './browser';

const urls = inject('urls');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const tokenOf = async (page: Page) => {
  const raw = await page.evaluate(() => localStorage.getItem('hospital.session.v1'));
  const m = raw && /"accessToken":"([^"]+)"/.exec(raw.replace(/\\"/g, '"'));
  if (!m) throw new Error('no session stored');
  return m[1];
};
const me = async (token: string) => (await fetch(`${urls.api}/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } })).status;

describe('退出所有设备', () => {
  it('ends the session on this phone and on the other one', async () => {
    const { page: a } = await phone(browser);
    const { page: b } = await phone(browser);
    await devLogin(a, 'demo-cashier');
    await devLogin(b, 'demo-cashier');
    const other = await tokenOf(b);
    expect(await me(other)).toBe(200);
    // A live socket of the other phone's session (through serverless offline's WebSocket API).
    const socket = new WebSocket(`${urls.websocket}?token=${encodeURIComponent(other)}`);
    await new Promise((ok, fail) => socket.once('open', ok).once('error', fail));
    const socketClosed = new Promise<number>((ok) => socket.once('close', ok));

    await a.goto(`${urls.h5}/pages/me/index`);
    await a.locator('#btn-logout-everywhere').click();
    await expect.poll(() => a.locator('.taro-modal__content').textContent({ timeout: 10_000 })).toContain('其他手机');
    await a.locator('.taro-modal__foot div', { hasText: '全部退出' }).click();
    await expect.poll(() => a.locator('.page.me').textContent(), { timeout: 10_000 }).toContain('登录后可查看');
    await shot(a, 'sessions-1-signed-out-everywhere');

    // The other phone: its token stops within seconds; its next page sends it to log in.
    await expect.poll(() => me(other), { timeout: 6000, interval: 250 }).toBe(401);
    // Its open socket was closed by the logout, not left to receive the account's pushes.
    expect(await Promise.race([socketClosed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open'), 3000))])).toBe('closed');
    await b.goto(`${urls.h5}/pages/me/index`);
    // '登录' alone also matches the logged-in page's 退出登录, so wait for the logged-out prompt.
    await expect.poll(() => b.locator('.page.me').textContent(), { timeout: 10_000 }).toContain('登录后可查看');
    await expect.poll(() => b.evaluate(() => localStorage.getItem('hospital.session.v1')), { timeout: 5000 }).toBeNull();
    await shot(b, 'sessions-2-other-phone-logged-out');
  });
});
