import Taro from '@tarojs/taro';
import { PlatformError, isCancel, type PlatformAdapter } from './types';
import { miniIsOffline, miniOnOnline, miniOpenSetting, miniRequestSubscribe } from './mini-common';
import { copyLink, copySms, miniBattery, openTaroSocket, taroLocation, vibrate } from './device';
import { taroStorage } from './storage';

/** The Alipay host object; only the calls we use. */
declare const my: {
  getAuthCode(options: {
    scopes: 'auth_base' | 'auth_user' | string[];
    success?: (res: { authCode: string }) => void;
    fail?: (err: { error?: number; errorMessage?: string }) => void;
  }): void;
  hideBackHome?: () => void;
};

/** Alipay mini-program. */
export const platform: PlatformAdapter = {
  storage: taroStorage,
  name: 'alipay',
  label: '支付宝',
  loginMode: 'native',
  getLoginCode() {
    // auth_base is silent (no consent sheet) and yields the user id through alipay.system.oauth.token.
    return new Promise((resolve, reject) => {
      my.getAuthCode({
        scopes: 'auth_base',
        success: (res) =>
          res.authCode
            ? resolve({ provider: 'alipay', code: res.authCode })
            : reject(new PlatformError('支付宝登录失败，请稍后重试')),
        fail: (err) => reject(new PlatformError('支付宝登录失败，请稍后重试', err)),
      });
    });
  },
  canScan: true,
  async scan() {
    try {
      // Taro maps scanCode to my.scan, whose result is in `code` (or `qrCode`), not `result`.
      const res = (await Taro.scanCode({ scanType: ['qrCode'] })) as unknown as {
        result?: string;
        code?: string;
        qrCode?: string;
      };
      return res.result || res.code || res.qrCode || null;
    } catch (err) {
      if (isCancel(err)) return null;
      throw new PlatformError('无法打开扫一扫，请检查相机权限', err);
    }
  },
  isOffline: miniIsOffline,
  onOnline: miniOnOnline,
  // Alipay names the template ids entityIds (订阅消息, bound in the open platform).
  requestSubscribe: (ids) => miniRequestSubscribe({ entityIds: [...ids] }, ids),
  payChannels: ['alipay'],
  async pay(p) {
    if (!p.tradeNO) throw new PlatformError('缺少支付宝交易号，请重试');
    let res: unknown;
    try {
      res = await Taro.tradePay({ tradeNO: p.tradeNO });
    } catch (err) {
      if (isCancel(err)) return 'cancelled';
      throw new PlatformError('支付宝支付未完成，请重试', err);
    }
    // my.tradePay puts resultCode on the result; Taro's typings nest it under `response`.
    const r = res as { resultCode?: string | number; response?: { resultCode?: string | number } };
    const code = String(r.resultCode ?? r.response?.resultCode ?? '');
    if (code === '6001') return 'cancelled';
    // 4000 failed / 4 no permission: surely unpaid. 9000 paid, 8000/6004/6002 unknown: ask the server.
    if (code === '4000' || code === '4') throw new PlatformError('支付宝支付未完成，请重试', res);
    return 'done';
  },
  // Alipay (高德) reports GCJ-02.
  getLocation: () => taroLocation('gcj02'),
  getEmergencyLocation: () => taroLocation('gcj02'),
  // `multiple`: a SocketTask of its own instead of Alipay's one global socket.
  openSocket: (url) => openTaroSocket(url, { multiple: true }),
  alert: vibrate,
  // The package lives on the phone once opened: nothing to cache.
  startOffline() {},
  composeSms: copySms,
  battery: miniBattery,
  openLink: copyLink,
  // Alipay has no onNeedPrivacyAuthorization / requirePrivacyAuthorize (Taro types them for weapp
  // only): it shows its own system sheet for the 隐私协议 configured in the open platform the first
  // time a private API is called, and each permission (location, camera, album) has its own
  // system prompt. So there is nothing to wait for here: resolve at once.
  requirePrivacyAuthorize: () => Promise.resolve(),
  startPrivacyAuthorization() {},
  openPrivacyContract: () => false,
  hideHomeButton() {
    // Alipay's own name for it (base library 1.16.4+); Taro does not map hideHomeButton here.
    my.hideBackHome?.();
  },
  canOpenPermissionSettings: true,
  openPermissionSettings: miniOpenSetting,
  // Alipay cannot hand a file to the person: no share-file API, my.openDocument opens PDF only and
  // my.saveFile keeps it in the app's own cache, where nobody can reach it. The export page shows
  // a summary and points to the WeChat or web version for the file.
  fileExport: 'none',
  exportTextFile() {
    return Promise.reject(new PlatformError('支付宝小程序暂不能保存文件，请在微信小程序或网页版中导出'));
  },
};
