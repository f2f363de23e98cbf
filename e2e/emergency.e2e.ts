/**
 * 紧急求助 in two browsers against the real local stack: a tourist on Mount Tai (H5, location
 * granted at a fixed point below 南天门) presses the button; the 120 console (a desktop page,
 * dev-login as demo-dispatcher) shows it within 2 seconds with 南天门 as the nearest station;
 * the dispatcher dispatches a team with an ETA; the tourist's page shows it without a reload.
 * A flood of anonymous presses from one device is collapsed into one group below the tourist's
 * request and dismissed in one action.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, phone, shot } from './browser';

const urls = inject('urls');
let browser: Browser;

/** On the 十八盘 steps, ~380 m south of 南天门 (WGS-84, as a browser reports it). */
const MOUNT_TAI = { latitude: 36.2525, longitude: 117.103, accuracy: 12 };
const TOURIST_PHONE = `139${String(Date.now()).slice(-8)}`;

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function dispatcherConsole(): Promise<Page> {
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await desk.newPage();
  await page.goto(`${urls.h5}/pages/login/index?next=${encodeURIComponent('/packages/dispatch/pages/console/index')}`);
  await page.locator('#dev-user-demo-dispatcher').click();
  await page.waitForURL((u) => u.pathname.includes('/packages/dispatch/'), { timeout: 15_000 });
  // Live: the socket is open on role:dispatcher.
  await expect.poll(() => page.locator('#dispatch-live').textContent(), { timeout: 15_000 }).toContain('实时');
  return page;
}

describe('emergency help on H5', () => {
  it('a tourist presses 紧急求助; the console has it within 2 s with the nearest station; the dispatch reaches the tourist live', async () => {
    const desk = await dispatcherConsole();

    const { page } = await phone(browser, { geolocation: MOUNT_TAI, permissions: ['geolocation'] });
    await page.goto(`${urls.h5}/pages/emergency/index`);
    await expect.poll(() => page.locator('#sos-location-accuracy').textContent(), { timeout: 15_000 }).toContain('精度约 12 米');
    await page.locator('#sos-complaint-fall_injury').click();
    await page.locator('#sos-phone input').fill(TOURIST_PHONE);
    await shot(page, 'emergency-1-tourist-before');

    const pressed = Date.now();
    await page.locator('#sos-button').click();
    const row = desk.locator('.dispatch-item', { hasText: TOURIST_PHONE });
    await row.waitFor({ timeout: 2_000 });
    // Polling runs every 10 s while the socket is open: seeing it this fast means it was pushed.
    const seenAfter = Date.now() - pressed;
    console.log(`[emergency] with network: tap → on the console in ${seenAfter} ms`);
    expect(seenAfter).toBeLessThan(2_000);
    await expect(row.textContent()).resolves.toContain('南天门急救站');
    await expect(row.textContent()).resolves.toContain('摔伤');
    // A new one is announced until it is opened.
    await expect(desk.locator('#dispatch-alert').count()).resolves.toBe(1);
    await shot(desk, 'emergency-2-console-new');

    // The tourist sees it received, live.
    await expect.poll(() => page.locator('#sos-status-text').textContent(), { timeout: 5_000 }).toContain('求助已收到');
    await expect.poll(() => page.locator('#sos-live').textContent(), { timeout: 10_000 }).toContain('实时');
    await shot(page, 'emergency-3-tourist-received');

    // The dispatcher opens it: location in both datums, nearest stations, the caller's phone.
    await row.click();
    await desk.locator('#dispatch-detail').waitFor({ timeout: 5_000 });
    await expect(desk.locator('#dispatch-phone').textContent()).resolves.toContain(TOURIST_PHONE);
    await expect(desk.locator('#dispatch-wgs84').textContent()).resolves.toContain('36.252500, 117.103000');
    await expect(desk.locator('#dispatch-gcj02').textContent()).resolves.toMatch(/GCJ-02：36\.25\d+, 117\.10\d+/);
    await expect(desk.locator('#dispatch-nearest-0').textContent()).resolves.toContain('南天门急救站');
    await expect(desk.locator('#dispatch-alert').count()).resolves.toBe(0);

    await desk.locator('#dispatch-team input').fill('泰山景区救援队');
    await desk.locator('#dispatch-eta input').fill('15');
    await desk.locator('#dispatch-note textarea').fill('已回拨确认：十八盘中段，左脚踝');
    const urlBefore = page.url();
    const dispatched = Date.now();
    await desk.locator('#dispatch-act-dispatch').click();
    // The tourist's page, never reloaded, shows the team and the ETA within 2 s (pushed, not polled).
    await expect.poll(() => page.locator('#sos-status-text').textContent(), { timeout: 2_000, interval: 50 }).toContain('救援已出发');
    expect(Date.now() - dispatched).toBeLessThan(2_000);
    await expect.poll(() => desk.locator('#dispatch-detail-status').textContent(), { timeout: 5_000 }).toBe('已派车');
    await shot(desk, 'emergency-4-console-dispatched');

    await expect(page.locator('#sos-dispatch').textContent()).resolves.toMatch(/泰山景区救援队 已出发，预计 \d\d:\d\d 到达（约 15 分钟）/);
    expect(page.url()).toBe(urlBefore);
    // The dispatcher's note stays on the console.
    await expect(page.locator('#sos-timeline').textContent()).resolves.not.toContain('左脚踝');
    await shot(page, 'emergency-5-tourist-dispatched');
  });

  it('opened online, then no signal: 紧急求助 on the home card still opens (service worker), queues at once, offers 120 and an SMS with the position; back online the console has it within 2 s', async () => {
    const desk = await dispatcherConsole();
    const { context, page } = await phone(browser, { geolocation: MOUNT_TAI, permissions: ['geolocation'] });
    await page.goto(`${urls.h5}/pages/index/index`);
    await page.locator('#service-emergency').waitFor({ timeout: 15_000 });
    // The service worker has installed (app shell, home and the SOS page precached) and controls the page.
    await expect.poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.ready) && !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true);

    await context.setOffline(true);
    // The phone lost its signal and the app is opened again: the page itself comes from the cache.
    await page.reload();
    await page.locator('#service-emergency').waitFor({ timeout: 10_000 });
    const tapped = Date.now();
    await page.locator('#service-emergency').click();
    // Queued on the phone at once, with 120 and the SMS offered, position prefilled.
    await expect.poll(() => page.locator('#sos-retrying').count(), { timeout: 10_000 }).toBe(1);
    const offeredAfter = Date.now() - tapped;
    await expect(page.locator('#sos-call-120').count()).resolves.toBe(1);
    await expect(page.locator('#sos-sms-text').textContent()).resolves.toMatch(/位置 36\.25250,117\.10300（WGS-84，精度约 12 米）/);
    await expect(page.evaluate(() => localStorage.getItem('hospital.emergency.pending.v1'))).resolves.toContain('36.2525');
    await shot(page, 'emergency-6a-offline-home-sos');

    await context.setOffline(false);
    const back = Date.now();
    // Taro's H5 storage keeps `{"data": value}`.
    const current = () => page.evaluate(() => (JSON.parse(localStorage.getItem('hospital.emergency.current.v1') ?? '{}').data?.id as string | undefined) ?? null);
    await expect.poll(current, { timeout: 10_000, interval: 50 }).not.toBeNull();
    const id = (await current())!;
    await desk.locator(`#dispatch-item-${id}`).waitFor({ timeout: 2_000 });
    const toConsole = Date.now() - back;
    console.log(`[emergency] offline SOS: queued and 120/SMS offered ${offeredAfter} ms after the tap; network back → on the console in ${toConsole} ms`);
    expect(toConsole).toBeLessThan(2_000);
    // Location first: no number yet, the position is there.
    await expect(desk.locator(`#dispatch-item-${id}`).textContent()).resolves.toContain('未留电话');
    await expect(desk.locator(`#dispatch-item-${id}`).textContent()).resolves.toContain('南天门急救站');
  });

  it('offline, the request waits on the phone and goes out by itself when the network returns', async () => {
    const desk = await dispatcherConsole();
    const number = `138${String(Date.now()).slice(-8)}`;
    const { context, page } = await phone(browser, { geolocation: MOUNT_TAI, permissions: ['geolocation'] });
    await page.goto(`${urls.h5}/pages/emergency/index`);
    await expect.poll(() => page.locator('#sos-location-accuracy').textContent(), { timeout: 15_000 }).toContain('精度约');
    await page.locator('#sos-phone input').fill(number);
    await context.setOffline(true);
    await page.locator('#sos-button').click();
    await expect.poll(() => page.locator('#sos-retrying').count(), { timeout: 10_000 }).toBe(1);
    await expect(page.locator('#sos-sending').textContent()).resolves.toContain('请同时拨打 120');
    await shot(page, 'emergency-6-tourist-offline');
    // Kept on the phone (it survives a reload or a closed app).
    await expect(page.evaluate(() => localStorage.getItem('hospital.emergency.pending.v1'))).resolves.toContain(number);

    await context.setOffline(false);
    await expect.poll(() => page.locator('#sos-status-text').textContent(), { timeout: 15_000 }).toContain('求助已收到');
    await expect.poll(() => desk.locator('.dispatch-item', { hasText: number }).count(), { timeout: 5_000 }).toBe(1);
  });

  it('a flood from one device is stored, collapsed into one group below a real request, and dismissed in one action', async () => {
    const desk = await dispatcherConsole();
    // A script pressing for many numbers from one device (the same device secret every time).
    const device = `sos-flood-script-${Date.now().toString(36)}-0000000000`;
    const flood: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await fetch(`${urls.api}/v1/emergencies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-flood-${Date.now()}-${i}` },
        body: JSON.stringify({ phone: `137${String(Date.now() + i * 7919).slice(-8)}`, place: '十八盘', complaints: ['chest_pain'], device }),
      });
      expect(r.status).toBe(201);
      flood.push(((await r.json()) as { id: string }).id);
    }
    // A real tourist presses during the flood, from the app.
    const number = `135${String(Date.now()).slice(-8)}`;
    const { page } = await phone(browser, { geolocation: MOUNT_TAI, permissions: ['geolocation'] });
    await page.goto(`${urls.h5}/pages/emergency/index`);
    await expect.poll(() => page.locator('#sos-location-accuracy').textContent(), { timeout: 15_000 }).toContain('精度约');
    await page.locator('#sos-complaint-fall_injury').click();
    await page.locator('#sos-phone input').fill(number);
    await page.locator('#sos-button').click();
    await expect.poll(() => page.locator('#sos-status-text').textContent(), { timeout: 15_000 }).toContain('求助已收到');

    // The console: the tourist's request in the list; the flood, all six, in one group below it.
    const group = desk.locator('.dispatch-flood', { hasText: '同一设备' });
    await expect.poll(() => group.count(), { timeout: 15_000 }).toBe(1);
    await expect(group.textContent()).resolves.toContain('6 条');
    await expect.poll(() => desk.locator('.dispatch-item', { hasText: number }).count(), { timeout: 10_000 }).toBe(1);
    for (const id of flood) expect(await desk.locator(`#dispatch-item-${id}`).count()).toBe(0);
    const below = await desk.evaluate(
      ([n]) => {
        const row = Array.from(document.querySelectorAll('.dispatch-item')).find((e) => e.textContent?.includes(n));
        const g = document.querySelector('.dispatch-flood');
        return !!row && !!g && !!(row.compareDocumentPosition(g) & Node.DOCUMENT_POSITION_FOLLOWING);
      },
      [number],
    );
    expect(below).toBe(true);
    await group.locator('.dispatch-flood__head').click();
    await expect.poll(() => group.locator('.dispatch-flood__member').count(), { timeout: 5_000 }).toBe(6);
    await group.scrollIntoViewIfNeeded();
    await shot(desk, 'emergency-7-console-flood-group');

    // Reviewed: dismissed in one action, with the reason; the tourist's request stays.
    await group.locator('textarea').fill('同一设备一分钟内为六个号码求助，抽查回拨均为空号');
    await group.locator('[id^="dispatch-flood-dismiss-"]').click();
    await expect.poll(() => desk.locator('.dispatch-flood').count(), { timeout: 15_000 }).toBe(0);
    await expect(desk.locator('.dispatch-item', { hasText: number }).count()).resolves.toBe(1);
    await shot(desk, 'emergency-8-console-flood-dismissed');
  });

  it('a dispatcher who logs in lands on the console: the map shows the caller with the accuracy circle and the stations; a request left unacknowledged escalates', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const desk = await ctx.newPage();
    await desk.goto(`${urls.h5}/pages/login/index`);
    await desk.locator('#dev-user-demo-dispatcher').click();
    // No `next`: a dispatcher's place is the console, not the patients' home page.
    await desk.waitForURL((u) => u.pathname.includes('/packages/dispatch/pages/console'), { timeout: 15_000 });
    await expect.poll(() => desk.locator('#dispatch-live').textContent(), { timeout: 15_000 }).toContain('实时');

    const r = await fetch(`${urls.api}/v1/emergencies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-map-${Date.now()}` },
      body: JSON.stringify({ location: { lat: MOUNT_TAI.latitude, lng: MOUNT_TAI.longitude, accuracy: 40, coordSystem: 'wgs84', capturedAt: new Date().toISOString() }, phone: '+44 7400 123456', device: `sos-e2e-map-${Date.now()}-000000000` }),
    });
    expect(r.status).toBe(201);
    const { id } = (await r.json()) as { id: string };
    const row = desk.locator(`#dispatch-item-${id}`);
    await row.waitFor({ timeout: 5_000 });
    await expect(row.textContent()).resolves.toContain('境外来电');
    await row.click();
    await desk.locator('#dispatch-map .leaflet-container, #dispatch-map.leaflet-container').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => desk.locator('#dispatch-map .dispatch-map__caller').count(), { timeout: 10_000 }).toBe(1);
    await expect(desk.locator('#dispatch-map .dispatch-map__accuracy').count()).resolves.toBe(1);
    await expect.poll(() => desk.locator('#dispatch-map .dispatch-map__station').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect(desk.locator('#dispatch-foreign').textContent()).resolves.toContain('英国');
    await shot(desk, 'emergency-9-console-map');

    // Nobody takes it: past SOS_ESCALATE_AFTER_SECONDS (8 s in e2e) it turns red, says so and sounds.
    const waited = Date.now();
    await expect.poll(() => row.getAttribute('class'), { timeout: 20_000, interval: 250 }).toContain('dispatch-item--escalated');
    console.log(`[emergency] unacknowledged request escalated after ${Math.round((Date.now() - waited) / 100) / 10} s more on the console`);
    await expect(row.textContent()).resolves.toContain('超时未接警');
    await expect(desk.locator('#dispatch-escalation').count()).resolves.toBe(1);
    await shot(desk, 'emergency-10-console-escalated');
    // Taking it ends the escalation.
    await desk.locator('#dispatch-act-acknowledge').click();
    await expect.poll(() => row.getAttribute('class'), { timeout: 10_000 }).not.toContain('dispatch-item--escalated');
    // 结束 asks first and needs the reason the caller will read.
    await desk.locator('#dispatch-act-close').click();
    await desk.locator('#dispatch-confirm').waitFor({ timeout: 5_000 });
    await desk.locator('#dispatch-confirm-ok').click();
    await expect(desk.locator('#dispatch-error').textContent()).resolves.toContain('结束原因');
    await desk.locator('#dispatch-reason textarea').fill('已回拨，游客已自行下山');
    await desk.locator('#dispatch-confirm-ok').click();
    await expect.poll(() => desk.locator('#dispatch-detail-status').textContent(), { timeout: 5_000 }).toBe('已结束');
  });
});
