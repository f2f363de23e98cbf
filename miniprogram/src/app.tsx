import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import { noteLaunch } from './launch-handler';
import { platform } from './platform';
import { gateOnShow } from './services/privacy-gate';
import './app.css';

/**
 * The app shell. A launch from a printed QR code (WeChat `q`, Alipay `qrCode`) that does not
 * land on the qr page is noted here and opened by the home page once it is shown. PIPL: the
 * first-login acceptance check (services/privacy-gate.ts) runs on every show with a session.
 */
function App({ children }: PropsWithChildren) {
  useLaunch((options) => {
    noteLaunch(options as { path?: string; query?: Record<string, unknown> });
    // WeChat's privacy agreement: our popup instead of WeChat's sheet (components/PrivacyPopup.tsx).
    platform.startPrivacyAuthorization();
    // H5: the service worker, so 紧急求助 works with no network (a no-op in mini-programs).
    platform.startOffline();
    gateOnShow();
  });
  // A hot start (the app was in the background and the person scanned another code).
  useDidShow((options) => {
    noteLaunch(options as { path?: string; query?: Record<string, unknown> } | undefined);
    // 用户协议 / 隐私政策 not (or no longer) accepted by the stored session: ask first (never on the SOS page).
    gateOnShow();
  });
  return children;
}

export default App;
