import Taro from '@tarojs/taro';
import { PlatformError, isCancel, type PlatformAdapter } from './types';
import { miniIsOffline, miniOnOnline, miniOpenSetting, miniRequestSubscribe } from './mini-common';
import { copyLink, copySms, miniBattery, openTaroSocket, taroLocation, vibrate } from './device';
import { taroStorage } from './storage';
import { weappOpenPrivacyContract, weappRequirePrivacyAuthorize, weappStartPrivacyAuthorization } from './privacy-weapp';

/** WeChat mini-program. */
export const platform: PlatformAdapter = {
  storage: taroStorage,
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
    await weappRequirePrivacyAuthorize();
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
  async getLocation() {
    await weappRequirePrivacyAuthorize();
    return taroLocation('gcj02');
  },
  // SOS: no privacy or consent step of ours before it (PIPL Art 13(4)); see types.ts.
  getEmergencyLocation: () => taroLocation('gcj02'),
  openSocket: (url) => openTaroSocket(url),
  alert: vibrate,
  // The package lives on the phone once opened: nothing to cache.
  startOffline() {},
  composeSms: copySms,
  battery: miniBattery,
  openLink(url) {
    weappRequirePrivacyAuthorize().then(
      () => copyLink(url),
      (e: Error) => void Taro.showToast({ title: e.message, icon: 'none' }),
    );
  },
  requirePrivacyAuthorize: weappRequirePrivacyAuthorize,
  startPrivacyAuthorization: weappStartPrivacyAuthorization,
  privacyAgreeOpenType: 'agreePrivacyAuthorization',
  openPrivacyContract: weappOpenPrivacyContract,
  hideHomeButton() {
    Taro.hideHomeButton().catch(() => undefined);
  },
  canOpenPermissionSettings: true,
  openPermissionSettings: miniOpenSetting,
  fileExport: 'share',
  exportTextFile(fileName, text) {
    // Written to the mini-program's own user folder, then handed to WeChat's "send to a chat"
    // sheet (base library 2.16.1+; 文件传输助手 keeps it). The write is synchronous so the sheet
    // opens inside the tap, as WeChat requires.
    const filePath = `${Taro.env.USER_DATA_PATH}/${fileName}`;
    try {
      Taro.getFileSystemManager().writeFileSync(filePath, text, 'utf8');
    } catch (err) {
      return Promise.reject(new PlatformError('无法生成文件，请检查手机存储空间', err));
    }
    // Callbacks, not a promise: Taro does not promisify shareFileMessage.
    return new Promise((resolve, reject) => {
      const share = (Taro as unknown as { shareFileMessage?: (o: { filePath: string; fileName: string; success: () => void; fail: (e: unknown) => void }) => void }).shareFileMessage;
      if (typeof share !== 'function') {
        reject(new PlatformError('当前微信版本无法发送文件，请升级微信或使用网页版导出'));
        return;
      }
      share({
        filePath,
        fileName,
        success: () => resolve('done'),
        fail: (err) => (isCancel(err) ? resolve('cancelled') : reject(new PlatformError('当前微信版本无法发送文件，请升级微信或使用网页版导出', err))),
      });
    });
  },
};
