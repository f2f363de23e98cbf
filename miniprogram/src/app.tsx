import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import { noteLaunch } from './launch-handler';
import './app.css';

/**
 * The app shell. A launch from a printed QR code (WeChat `q`, Alipay `qrCode`) that does not
 * land on the qr page is noted here and opened by the home page once it is shown.
 */
function App({ children }: PropsWithChildren) {
  useLaunch((options) => noteLaunch(options as { path?: string; query?: Record<string, unknown> }));
  // A hot start (the app was in the background and the person scanned another code).
  useDidShow((options) => noteLaunch(options as { path?: string; query?: Record<string, unknown> } | undefined));
  return children;
}

export default App;
