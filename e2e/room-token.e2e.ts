/**
 * The video room as WeChat and Alipay open it (issue #14): the H5 page in a web-view, entered with
 * a one-time ticket and no login. The ticket becomes a room token that opens this visit's room —
 * status and video join — and nothing else: the page stays in the room (no login page, no
 * agreement page), the same token is refused on the account's other routes, and logout of the
 * session that asked for the ticket ends it within seconds.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { toLocalIso } from '@hospital/shared';
import { launch, phone, shot } from './browser';
import { apiToken, request } from './api';

const urls = inject('urls');
const PATIENT = 'p-demo-zhang-jianguo';
let browser: Browser;

beforeAll(async () => {
  browser = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
});
afterAll(() => browser?.close());

const status = async (path: string, token: string, method = 'GET') =>
  (await fetch(`${urls.api}${path}`, { method, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } })).status;

/** The access token the H5 app stored for the web-view (Taro keeps storage as JSON, sometimes wrapped). */
function storedToken(raw: string | null): string {
  const find = (v: unknown): string | undefined => {
    if (typeof v === 'string') {
      try {
        return find(JSON.parse(v));
      } catch {
        return undefined;
      }
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.accessToken === 'string') return o.accessToken;
      for (const x of Object.values(o)) {
        const t = find(x);
        if (t) return t;
      }
    }
    return undefined;
  };
  const t = find(raw);
  if (!t) throw new Error('no session stored by the room page');
  return t;
}

describe('the web-view room on H5', () => {
  it('a ticket opens this room only, and the session’s logout ends it', async () => {
    const patient = await request<{ accessToken: string; refreshToken: string }>('POST', '/v1/auth/login', { body: { provider: 'dev', code: 'demo-patient' } });
    await request('POST', '/v1/me/consents', {
      token: patient.accessToken,
      body: { patientId: PATIENT, grantee: { type: 'org', id: 'org-taishan-station' }, purpose: 'consultation', scopes: ['record', 'reports'], days: 1 },
    });
    const doctor = await apiToken('demo-station-doctor');
    const visit = await request<{ id: string }>('POST', '/v1/visits', {
      token: doctor,
      body: { patientId: PATIENT, participants: ['doc-li-minghua'], reason: '胸闷气短，请心内科会诊', scheduledAt: toLocalIso(Date.now()), durationMinutes: 30 },
    });

    // The mini-program asks for the ticket and opens the URL in its web-view: no login there.
    const ticket = await request<{ url: string }>('POST', `/v1/visits/${visit.id}/room-ticket`, { token: patient.accessToken });
    const { page } = await phone(browser);
    const joined = page.waitForResponse((r) => r.url().endsWith(`/v1/visits/${visit.id}/join`) && r.request().method() === 'POST');
    await page.goto(ticket.url.replace(/^https?:\/\/[^/]+/, urls.h5));
    expect((await joined).status()).toBe(200);
    await expect.poll(() => page.locator('#room').count(), { timeout: 20_000 }).toBe(1);
    // The app's own checks on start (the agreement gate) meet a room token and leave the room alone.
    await page.waitForTimeout(3000);
    expect(new URL(page.url()).pathname).toContain('/packages/visits/pages/room/index');
    await shot(page, 'room-token-1-web-view-room');

    const room = storedToken(await page.evaluate(() => localStorage.getItem('hospital.session.v1')));
    expect(await status(`/v1/visits/${visit.id}`, room)).toBe(200);
    for (const path of ['/v1/me/visits', '/v1/me/patients', '/v1/me/privacy', '/v1/auth/me']) expect(await status(path, room), path).toBe(403);
    expect(await status('/v1/me/export', room)).toBe(403);

    // Logout of the session that asked for the ticket: the room token stops within seconds.
    await request('POST', '/v1/auth/logout', { body: { refreshToken: patient.refreshToken } });
    await expect.poll(() => status(`/v1/visits/${visit.id}`, room), { timeout: 6000, interval: 250 }).toBe(401);
    expect(await status('/v1/auth/me', patient.accessToken)).toBe(401);
  });
});
