import { PlatformError, type PlatformAdapter } from './types';
import { openTaroSocket, taroLocation } from './device';
import { taroStorage } from './storage';
import { webBeep } from './web-audio';
import { noHostPrivacy } from './no-host-privacy';
import { registerServiceWorker } from './offline.h5';

/**
 * The browser build (any phone camera opens a printed QR URL here; the local stack serves it).
 * There is no host app to vouch for the person, so login is the dev login (local stage only).
 */
export const platform: PlatformAdapter = {
  storage: taroStorage,
  name: 'h5',
  label: '网页',
  loginMode: 'dev',
  getLoginCode() {
    return Promise.reject(new PlatformError('网页版请选择演示用户登录'));
  },
  // Taro's H5 scanCode needs WeChat's JS-SDK; in a plain browser it "succeeds" with nothing.
  canScan: false,
  scan() {
    return Promise.resolve(null);
  },
  isOffline() {
    // Taro's H5 getNetworkType never reports 'none'; the browser's own flag does.
    return Promise.resolve(typeof navigator !== 'undefined' && navigator.onLine === false);
  },
  onOnline(cb) {
    if (typeof window === 'undefined') return () => {};
    window.addEventListener('online', cb);
    return () => window.removeEventListener('online', cb);
  },
  // A browser has no subscription messages: booking reminders reach the inbox (消息) only.
  requestSubscribe() {
    return Promise.resolve('unsupported');
  },
  // No WeChat/Alipay host to pay in: the provider's H5 checkout (the sandbox's on the local stack).
  payChannels: ['wechat', 'alipay'],
  pay(p) {
    if (!p.checkoutUrl || typeof window === 'undefined') {
      return Promise.reject(new PlatformError('网页版暂不支持在线支付，请在微信或支付宝小程序中缴费'));
    }
    // The checkout comes back to the result page (returnPath) with ?sandbox_result=paid|cancelled.
    window.location.assign(p.checkoutUrl);
    return Promise.resolve('left');
  },
  // Browsers report WGS-84 (GPS); Taro's H5 getLocation accepts no other type.
  getLocation: () => taroLocation('wgs84'),
  getEmergencyLocation: () => taroLocation('wgs84'),
  openSocket: (url) => openTaroSocket(url),
  alert: webBeep,
  startOffline: registerServiceWorker,
  composeSms(to, body) {
    if (typeof window === 'undefined') return Promise.resolve('unsupported');
    // `?&body=` is read by both Android and iOS messaging apps.
    window.location.href = `sms:${to}?&body=${encodeURIComponent(body)}`;
    return Promise.resolve('opened');
  },
  async battery() {
    // Battery Status API: Chromium-based browsers; Safari and Firefox have none.
    const nav = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { getBattery?: () => Promise<{ level: number; charging: boolean }> });
    if (!nav?.getBattery) return undefined;
    try {
      const b = await nav.getBattery();
      return { level: b.level, charging: b.charging };
    } catch {
      return undefined;
    }
  },
  openLink(url) {
    if (typeof window !== 'undefined') window.open(url, '_blank', 'noopener');
  },
  // Location and camera permissions belong to the browser (the lock icon by the address).
  ...noHostPrivacy,
  fileExport: 'download',
  exportTextFile(fileName, text) {
    if (typeof document === 'undefined') return Promise.reject(new PlatformError('当前浏览器无法下载文件'));
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return Promise.resolve('done');
  },
};
