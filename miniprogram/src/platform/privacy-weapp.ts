/**
 * WeChat's privacy agreement (《小程序用户隐私保护指引》, required before private APIs since
 * base library 2.32.3): the listener registered once at app start and the check the adapter runs
 * before location, camera/album, scan and clipboard calls. Imported only by the weapp files.
 */
import Taro from '@tarojs/taro';
import { PlatformError } from './types';
import { privacyPrompts, type PrivacyResolve } from './privacy-prompts';

type PrivacyApi = {
  requirePrivacyAuthorize?: (o: { success?: () => void; fail?: (e: unknown) => void }) => void;
  onNeedPrivacyAuthorization?: (listener: (resolve: PrivacyResolve, info?: { referrer?: string }) => void) => void;
  openPrivacyContract?: (o?: { fail?: (e: unknown) => void }) => void;
};
const wxp = () => Taro as unknown as PrivacyApi;

let started = false;

/** Our popup instead of WeChat's sheet (components/PrivacyPopup.tsx). Once per app run. */
export function weappStartPrivacyAuthorization(): void {
  if (started) return;
  started = true;
  const on = wxp().onNeedPrivacyAuthorization;
  // Older base libraries have no privacy step: their private APIs just work.
  if (typeof on !== 'function') return;
  on((resolve, info) => privacyPrompts.need(resolve, info?.referrer));
}

/**
 * Resolves when the person has agreed (at once when they already have); our popup shows when
 * they have not. Throws a PlatformError with the words to show when they decline.
 */
export function weappRequirePrivacyAuthorize(): Promise<void> {
  const require = wxp().requirePrivacyAuthorize;
  if (typeof require !== 'function') return Promise.resolve();
  return new Promise((resolve, reject) =>
    require({
      success: () => resolve(),
      fail: (e) => reject(new PlatformError('需要您同意《隐私保护指引》后才能使用此功能', e)),
    }),
  );
}

export function weappOpenPrivacyContract(): boolean {
  const open = wxp().openPrivacyContract;
  if (typeof open !== 'function') return false;
  open({ fail: () => undefined });
  return true;
}
