/**
 * Storage on this device through Taro: wx/my storage in the mini-programs, localStorage on H5.
 * When the host refuses (storage full, a browser that forbids it) the value is kept in memory for
 * this run, so what depends on it — an SOS still being sent, the SOS device secret — keeps working.
 */
import Taro from '@tarojs/taro';
import type { DeviceStorage } from './types';

const memory = new Map<string, unknown>();

export const taroStorage: DeviceStorage = {
  get(key) {
    if (memory.has(key)) return memory.get(key);
    try {
      const v: unknown = Taro.getStorageSync(key);
      return v === '' || v === null ? undefined : v;
    } catch {
      return undefined;
    }
  },
  set(key, value) {
    memory.set(key, value);
    try {
      Taro.setStorageSync(key, value);
      return true;
    } catch {
      return false;
    }
  },
  remove(key) {
    memory.delete(key);
    try {
      Taro.removeStorageSync(key);
    } catch {
      /* nothing to remove */
    }
  },
};
