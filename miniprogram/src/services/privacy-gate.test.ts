import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Taro, { navigations, resetShim } from '../../test/taro-shim';
import { LEGAL_DOCUMENTS, type PrivacyView } from '@hospital/shared';
import { routeUrl } from '../routes';

const call = vi.fn();
vi.mock('./api', () => ({ api: { privacy: { get: { path: '/v1/me/privacy' } } }, call: (...a: unknown[]) => call(...a) }));

const { acceptBody, acceptanceAfterLogin, checkAcceptance, gateOnShow, markAccepted, mayInterrupt, needsAcceptance, resetGate } = await import('./privacy-gate');
const { clearSession, setSession } = await import('./session');

const current = { agreement: LEGAL_DOCUMENTS.agreement, privacy: LEGAL_DOCUMENTS.privacy };
const view = (accepted: PrivacyView['accepted']): PrivacyView => ({ current, accepted, consents: [] });
const login = (roles: string[]) =>
  setSession({ accessToken: 'a', refreshToken: 'r', expiresAt: '2099-01-01T00:00:00Z', user: { id: 'u1', name: '张三', roles: roles as never } });
const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  resetShim();
  resetGate();
  call.mockReset();
  clearSession();
});
afterEach(() => vi.restoreAllMocks());

describe('whether the account must (again) agree', () => {
  it('nothing accepted, an older agreement or an older policy: ask; the current ones: do not', () => {
    expect(needsAcceptance(view(null))).toBe(true);
    expect(needsAcceptance(view({ ...current, agreement: '2025-01-01', at: 'x' }))).toBe(true);
    expect(needsAcceptance(view({ ...current, privacy: '2025-01-01', at: 'x' }))).toBe(true);
    expect(needsAcceptance(view({ ...current, at: 'x' }))).toBe(false);
  });

  it('同意 sends the versions of the text the app shows', () => {
    expect(acceptBody()).toEqual({ agreementVersion: LEGAL_DOCUMENTS.agreement, privacyVersion: LEGAL_DOCUMENTS.privacy });
  });

  it('never interrupts 紧急求助, the documents or login', () => {
    for (const r of ['emergency', 'privacyAgreement', 'privacyPolicy', 'privacyAccept', 'login'] as const) expect(mayInterrupt(r)).toBe(false);
    expect(mayInterrupt('home')).toBe(true);
    expect(mayInterrupt('reportQuery')).toBe(true);
  });
});

describe('asking the server never locks a person out', () => {
  it('no session or a staff-only account: unknown, without a call', async () => {
    expect(await checkAcceptance()).toBe('unknown');
    login(['doctor']);
    expect(await checkAcceptance()).toBe('unknown');
    expect(call).not.toHaveBeenCalled();
  });

  it('offline or a server without the route: unknown; a patient who accepted nothing: needed', async () => {
    login(['patient']);
    call.mockRejectedValueOnce(new Error('offline'));
    expect(await checkAcceptance()).toBe('unknown');
    call.mockResolvedValueOnce(view(null));
    expect(await checkAcceptance()).toBe('needed');
    call.mockResolvedValueOnce(view({ ...current, at: 'x' }));
    expect(await checkAcceptance()).toBe('ok');
  });
});

describe('after login', () => {
  it('opens the acceptance page alone, with the way on, instead of the next page', async () => {
    login(['patient']);
    call.mockResolvedValueOnce(view(null));
    expect(await acceptanceAfterLogin('/packages/records/pages/reports/index')).toBe(true);
    expect(navigations).toEqual([{ api: 'reLaunch', url: routeUrl('privacyAccept', { next: '/packages/records/pages/reports/index' }) }]);
  });

  it('goes on as usual when already accepted, or when the server cannot say', async () => {
    login(['patient']);
    call.mockResolvedValueOnce(view({ ...current, at: 'x' }));
    expect(await acceptanceAfterLogin(undefined)).toBe(false);
    call.mockRejectedValueOnce(new Error('network'));
    expect(await acceptanceAfterLogin(undefined)).toBe(false);
    expect(navigations).toEqual([]);
  });
});

describe('on start with a stored session', () => {
  it('asks once however many shows come together, and not again after 同意', async () => {
    login(['patient']);
    vi.spyOn(Taro, 'getCurrentPages').mockReturnValue([{ route: 'pages/index/index' }]);
    call.mockResolvedValue(view(null));
    gateOnShow();
    gateOnShow();
    await vi.waitFor(() => expect(navigations).toHaveLength(1));
    expect(navigations[0]).toEqual({ api: 'reLaunch', url: routeUrl('privacyAccept', {}) });
    expect(call).toHaveBeenCalledTimes(1);
    markAccepted();
    gateOnShow();
    await flush();
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('leaves the SOS page alone', async () => {
    login(['patient']);
    vi.spyOn(Taro, 'getCurrentPages').mockReturnValue([{ route: 'pages/emergency/index' }]);
    vi.spyOn(Taro, 'getCurrentInstance').mockReturnValue({ router: { path: '/pages/emergency/index', params: {} } } as never);
    call.mockResolvedValue(view(null));
    gateOnShow();
    await vi.waitFor(() => expect(call).toHaveBeenCalledTimes(1));
    await flush();
    await flush();
    expect(navigations).toEqual([]);
  });
});
