import Taro from '@tarojs/taro';
import { PlatformError, isCancel, type PlatformAdapter } from './types';
import { miniIsOffline, miniOnOnline, miniRequestSubscribe } from './mini-common';
import { copyLink, openTaroSocket, taroLocation, vibrate } from './device';

/** WeChat mini-program. */
export const platform: PlatformAdapter = {
  name: 'weapp',
  label: '微信',
  loginMode: 'native',
  async getLoginCode() {
    try {
      const res = await Taro.login();
      if (!res.code) throw new Error(res.errMsg);
      return { provider: 'wechat', code: res.code };
    } catch (err) {
      throw new PlatformError('微信登录失败，请稍后重试', err);
    }
  },
  canScan: true,
  async scan() {
    try {
      const res = await Taro.scanCode({ scanType: ['qrCode'] });
      return res.result || null;
    } catch (err) {
      if (isCancel(err)) return null;
      throw new PlatformError('无法打开扫一扫，请检查相机权限', err);
    }
  },
  isOffline: miniIsOffline,
  onOnline: miniOnOnline,
  requestSubscribe: (ids) => miniRequestSubscribe({ tmplIds: [...ids] }, ids),
  payChannels: ['wechat'],
  async pay(p) {
    if (!p.requestPayment) throw new PlatformError('缺少微信支付参数，请重试');
    try {
      await Taro.requestPayment({ ...p.requestPayment });
      return 'done';
    } catch (err) {
      if (isCancel(err)) return 'cancelled';
      throw new PlatformError('微信支付未完成，请重试', err);
    }
  },
  // GCJ-02: what WeChat's own maps and openLocation use.
  getLocation: () => taroLocation('gcj02'),
  openSocket: (url) => openTaroSocket(url),
  alert: vibrate,
  openLink: copyLink,
};
