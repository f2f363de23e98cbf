import { describe, expect, it } from 'vitest';
import { DeviceSecret } from '@hospital/shared';
import { DEVICE_KEY, deviceSecret, randomSecret } from './device';
import type { KeyValue } from './outbox';

const memory = (): KeyValue & { data: Map<string, unknown> } => {
  const data = new Map<string, unknown>();
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v), remove: (k) => void data.delete(k) };
};

describe('the SOS device secret', () => {
  it('is made once and kept: every press and read from this phone carries the same one', () => {
    const store = memory();
    const first = deviceSecret(store);
    expect(DeviceSecret.safeParse(first).success).toBe(true);
    expect(store.data.get(DEVICE_KEY)).toBe(first);
    expect(deviceSecret(store)).toBe(first);
  });

  it('is random per phone, and a damaged stored value is replaced', () => {
    expect(randomSecret()).not.toBe(randomSecret());
    const store = memory();
    store.set(DEVICE_KEY, 'short');
    const fresh = deviceSecret(store, () => 'sos-replacement-secret-0123456789ab');
    expect(fresh).toBe('sos-replacement-secret-0123456789ab');
  });

  it('without a CSPRNG (a mini-program) still makes a valid secret', () => {
    const saved = globalThis.crypto;
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    try {
      expect(DeviceSecret.safeParse(randomSecret()).success).toBe(true);
    } finally {
      Object.defineProperty(globalThis, 'crypto', { value: saved, configurable: true });
    }
  });
});
