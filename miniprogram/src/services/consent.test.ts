import { describe, expect, it, vi } from 'vitest';
import type { ConsentPurpose } from '@hospital/shared';
import { ApiError, errorFromResponse } from './client';
import { consentPurposeOf, ensureConsent, hasGranted, withConsent } from './consent';

const required = (purpose: string) =>
  errorFromResponse({ status: 403, data: { error: { code: 'CONSENT_REQUIRED', message: '需要您同意我们处理您的健康医疗信息后才能继续', purpose } } });

describe('a CONSENT_REQUIRED answer names the consent to ask for', () => {
  it('reads the purpose from the error body', () => {
    expect(required('health_data').purpose).toBe('health_data');
    expect(consentPurposeOf(required('health_data'))).toBe('health_data');
  });

  it('other errors, unknown purposes and other codes are not consent questions', () => {
    expect(consentPurposeOf(required('shoe_size'))).toBeUndefined();
    expect(consentPurposeOf(new ApiError({ kind: 'http', status: 403, code: 'FORBIDDEN', message: 'no', purpose: 'health_data' }))).toBeUndefined();
    expect(consentPurposeOf(new Error('x'))).toBeUndefined();
  });
});

function deps(answers: Partial<Record<ConsentPurpose, boolean>>) {
  const granted: ConsentPurpose[] = [];
  return {
    granted,
    ask: vi.fn(async (p: ConsentPurpose) => answers[p] ?? false),
    grant: vi.fn(async (p: ConsentPurpose) => void granted.push(p)),
  };
}

describe('withConsent: ask, record, try again', () => {
  it('同意 records the consent and the action runs again', async () => {
    const d = deps({ health_data: true });
    const action = vi.fn().mockRejectedValueOnce(required('health_data')).mockResolvedValueOnce('bundle');
    expect(await withConsent(action, d)).toEqual({ ok: true, value: 'bundle' });
    expect(d.granted).toEqual(['health_data']);
    expect(action).toHaveBeenCalledTimes(2);
  });

  it('暂不 records nothing and does not retry', async () => {
    const d = deps({});
    const action = vi.fn().mockRejectedValue(required('id_number'));
    expect(await withConsent(action, d)).toEqual({ ok: false, declined: 'id_number' });
    expect(d.grant).not.toHaveBeenCalled();
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('two consents in a row are each asked once', async () => {
    const d = deps({ health_data: true, id_number: true });
    const action = vi.fn().mockRejectedValueOnce(required('health_data')).mockRejectedValueOnce(required('id_number')).mockResolvedValueOnce(1);
    expect(await withConsent(action, d)).toEqual({ ok: true, value: 1 });
    expect(d.granted).toEqual(['health_data', 'id_number']);
  });

  it('the same refusal after granting is thrown (no endless loop), so is any other error', async () => {
    const d = deps({ health_data: true });
    await expect(withConsent(vi.fn().mockRejectedValue(required('health_data')), d)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    await expect(withConsent(vi.fn().mockRejectedValue(new Error('boom')), deps({}))).rejects.toThrow('boom');
  });
});

describe('ensureConsent: ask before an action', () => {
  it('granted already: no question', async () => {
    const d = deps({});
    expect(await ensureConsent('precise_location', { ...d, current: async () => ({ consents: [{ purpose: 'precise_location', granted: true, at: 'x' }] }) })).toBe(true);
    expect(d.ask).not.toHaveBeenCalled();
  });

  it('not granted (or unknown): asks; 同意 records it', async () => {
    const d = deps({ precise_location: true });
    expect(await ensureConsent('precise_location', { ...d, current: () => Promise.reject(new Error('offline')) })).toBe(true);
    expect(d.granted).toEqual(['precise_location']);
    const no = deps({});
    expect(await ensureConsent('precise_location', { ...no, current: async () => ({ consents: [] }) })).toBe(false);
  });

  it('hasGranted reads the latest answer', () => {
    expect(hasGranted({ consents: [{ purpose: 'health_data', granted: false, at: 'x' }] }, 'health_data')).toBe(false);
    expect(hasGranted(undefined, 'health_data')).toBe(false);
  });
});
