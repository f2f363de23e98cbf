import { describe, expect, it } from 'vitest';
import { clearPendingFace, faceReturnPath, pendingFace, savePendingFace, tokenToConfirm, type KeyValue } from './face';

const NOW = Date.parse('2026-12-05T02:00:00.000Z');

function memory(): KeyValue & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return { map, get: (k) => map.get(k), set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
}

const face = (patientId: string, expiresIn = 600_000) => ({
  patientId,
  bizToken: 'BIZ-0123456789abcdef',
  url: 'https://faceid.test/start?token=BIZ-0123456789abcdef',
  expiresAt: new Date(NOW + expiresIn).toISOString(),
});

describe('the FaceID round trip', () => {
  it('the return page is this app’s verify page for the same person', () => {
    expect(faceReturnPath('p-1')).toBe('/packages/identity/pages/verify/index?patientId=p-1');
  });

  it('the token kept when leaving is found again for the same person after a reload', () => {
    const store = memory();
    savePendingFace(store, face('p-1'));
    expect(pendingFace(store, 'p-1', NOW + 1000)?.bizToken).toBe('BIZ-0123456789abcdef');
    expect(pendingFace(store, 'p-2', NOW + 1000)).toBeNull();
  });

  it('an expired session is dropped, and clearing forgets it', () => {
    const store = memory();
    savePendingFace(store, face('p-1', 1000));
    expect(pendingFace(store, 'p-1', NOW + 1000)).toBeNull();
    expect(store.map.size).toBe(0);
    savePendingFace(store, face('p-1'));
    clearPendingFace(store);
    expect(pendingFace(store, 'p-1', NOW)).toBeNull();
  });

  it('the BizToken the provider adds to the return URL wins; else the kept one (mini-programs)', () => {
    const kept = face('p-1');
    expect(tokenToConfirm({ BizToken: 'FROM-URL-12345678' }, kept)).toBe('FROM-URL-12345678');
    expect(tokenToConfirm({}, kept)).toBe(kept.bizToken);
    expect(tokenToConfirm({ BizToken: '<script>' }, kept)).toBe(kept.bizToken);
    expect(tokenToConfirm({}, null)).toBeUndefined();
  });
});
