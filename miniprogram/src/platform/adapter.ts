import { PlatformError, type PlatformAdapter } from './types';
import { taroStorage } from './storage';
import { noHostPrivacy } from './no-host-privacy';

/**
 * What the type checker sees, and the fallback for targets we do not ship (swan, tt, ...).
 * weapp / alipay / h5 builds resolve `./adapter` to `adapter.<target>.ts` instead.
 */
export const platform: PlatformAdapter = {
  storage: taroStorage,
  name: 'other',
  label: '小程序',
  loginMode: 'native',
  getLoginCode() {
    return Promise.reject(new PlatformError('当前平台暂不支持登录'));
  },
  canScan: false,
  scan() {
    return Promise.resolve(null);
  },
  isOffline() {
    return Promise.resolve(false);
  },
  onOnline() {
    return () => {};
  },
  requestSubscribe() {
    return Promise.resolve('unsupported');
  },
  payChannels: [],
  pay() {
    return Promise.reject(new PlatformError('当前平台暂不支持在线支付，请到医院收费窗口缴费'));
  },
  getLocation() {
    return Promise.reject(new PlatformError('当前平台暂不支持定位，请直接填写您的位置'));
  },
  getEmergencyLocation() {
    return Promise.reject(new PlatformError('当前平台暂不支持定位，请直接填写您的位置'));
  },
  openSocket() {
    return Promise.reject(new PlatformError('当前平台暂不支持实时连接'));
  },
  alert() {},
  startOffline() {},
  composeSms: () => Promise.resolve('unsupported'),
  battery: () => Promise.resolve(undefined),
  openLink() {},
  ...noHostPrivacy,
  fileExport: 'none',
  exportTextFile() {
    return Promise.reject(new PlatformError('当前平台暂不支持保存文件'));
  },
};
