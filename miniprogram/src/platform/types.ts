import type { LoginProvider, PaymentChannel, PaymentOrderView } from '@hospital/shared';

/**
 * Everything that differs between WeChat, Alipay and the browser, behind one interface.
 * Pages and services import `platform` from `src/platform` and never test `TARO_ENV` themselves.
 * The build picks `adapter.weapp.ts`, `adapter.alipay.ts` or `adapter.h5.ts` (Taro's
 * multi-platform file resolution); `adapter.ts` is what the type checker and other targets see.
 */
export interface PlatformAdapter {
  readonly name: 'weapp' | 'alipay' | 'h5' | 'other';
  /** Shown to the person: 微信 / 支付宝 / 网页. */
  readonly label: string;
  /**
   * `native`: the host app hands us a one-time login code (wx.login, my.getAuthCode).
   * `dev`: no host app (H5 on the local stack): the person picks a demo user.
   */
  readonly loginMode: 'native' | 'dev';
  /** A one-time code for `POST /v1/auth/login`. Only for `loginMode: 'native'`. */
  getLoginCode(): Promise<{ provider: LoginProvider; code: string }>;
  /** Whether an in-app QR scanner exists (false on H5: Taro's scanCode only works in WeChat's JS-SDK). */
  readonly canScan: boolean;
  /** Scans a code with the camera; the raw text, or null when the person cancels. */
  scan(): Promise<string | null>;
  /** True when the device reports no network at all (distinct from "server unreachable"). */
  isOffline(): Promise<boolean>;
  /** Calls `cb` when the network comes back; returns the unsubscribe function. */
  onOnline(cb: () => void): () => void;
  /**
   * Asks consent for the hospital's messages (WeChat subscription messages, Alipay subscription
   * templates), at most 3 template ids. Call it first thing in a tap handler (WeChat only shows
   * the sheet for a tap). Never throws: a refusal must not stop what the person was doing.
   */
  requestSubscribe(templateIds: readonly string[]): Promise<SubscribeOutcome>;
  /** Payment channels offered here, the host's own: 微信支付 in WeChat, 支付宝 in Alipay; both on H5 (sandbox checkout). */
  readonly payChannels: readonly PaymentChannel[];
  /**
   * Opens the provider's cashier for an order (`pay` of `POST /v1/payments`): `Taro.requestPayment`
   * in WeChat, `Taro.tradePay` in Alipay, the checkout page on H5. `done`: the host says it is paid
   * or does not know (never trusted: the result page asks the server); `cancelled`: closed by the
   * person; `left`: the browser is on its way to the checkout page, which comes back to the result
   * page. Throws a PlatformError when the payment surely did not happen.
   */
  pay(params: PayParams): Promise<PayOutcome>;
  /**
   * The device's position with its datum: GCJ-02 on WeChat/Alipay (what Chinese maps use),
   * WGS-84 in a browser (Taro's H5 getLocation knows no other). Throws a PlatformError when
   * the person refuses or no fix comes in time.
   */
  getLocation(): Promise<DeviceLocation>;
  /**
   * The position for an SOS (紧急求助). Never waits for a privacy or consent dialog of ours: PIPL
   * Art 13(4) allows processing without consent to protect life in an emergency. (WeChat itself
   * may still hold the call until its 隐私保护指引 is agreed; the SOS page shows our popup as a
   * banner that does not block, and the SOS is sent without a fix after 3 s.)
   */
  getEmergencyLocation(): Promise<DeviceLocation>;
  /**
   * WeChat's 隐私保护指引: resolves once the person has agreed (at once when they already did, or
   * where the host has no such step: Alipay, browsers); throws a PlatformError when they refuse.
   * The adapters call it before location, camera/album, scan and clipboard calls.
   */
  requirePrivacyAuthorize(): Promise<void>;
  /** Listens for the host's "privacy agreement needed" event (WeChat); called once at app start. */
  startPrivacyAuthorization(): void;
  /**
   * The button open-type that also records WeChat's privacy agreement (`agreePrivacyAuthorization`);
   * undefined where there is none. Our 同意 buttons (first-login acceptance, privacy popup) use it.
   */
  readonly privacyAgreeOpenType?: 'agreePrivacyAuthorization';
  /** Opens the host's own privacy guide (WeChat 《小程序用户隐私保护指引》); false where there is none. */
  openPrivacyContract(): boolean;
  /** Hides the host's 返回首页 button on a page that must be answered first (first-login acceptance). */
  hideHomeButton(): void;
  /**
   * The host's permission settings (location, camera, album): `Taro.openSetting` in WeChat and
   * Alipay (after a tap); `unsupported` in a browser, where the browser manages them.
   */
  openPermissionSettings(): Promise<'opened' | 'unsupported'>;
  /** Whether `openPermissionSettings` can open anything here (false in a browser). */
  readonly canOpenPermissionSettings: boolean;
  /**
   * How a file of one's own data (导出我的数据) reaches the person here: `download` (browser),
   * `share` (WeChat: send it to a chat such as 文件传输助手), `none` (Alipay has no way to hand a
   * file to the person; the page shows a summary instead).
   */
  readonly fileExport: 'download' | 'share' | 'none';
  /** Hands a text file to the person (call it from a tap); `cancelled` when they close the sheet. */
  exportTextFile(fileName: string, text: string): Promise<'done' | 'cancelled'>;
  /** A WebSocket (Taro.connectSocket on all three targets). */
  openSocket(url: string): Promise<LiveSocket>;
  /** Draws attention to something new: a beep in a browser (once a tap has allowed sound), a vibration on a phone. */
  alert(): void;
  /** Opens a web link (a map): a new tab in a browser; copied to the clipboard in a mini-program. */
  openLink(url: string): void;
  /** Key-value storage on this device (wx/my storage, localStorage on H5; memory for this run when refused). */
  readonly storage: DeviceStorage;
  /**
   * Makes the app usable with no network: on H5 it registers the service worker (the app shell and
   * every page precached); mini-programs need nothing (the host keeps the package on the phone).
   */
  startOffline(): void;
  /**
   * Offers an SMS to `to` with `body` prefilled: the phone's messaging app on H5 (`sms:` link);
   * mini-programs cannot compose one, so the text is copied for the person to paste. `copied` then.
   */
  composeSms(to: string, body: string): Promise<'opened' | 'copied' | 'unsupported'>;
  /** The battery level (0–1) where the host tells it (Battery Status API, wx/my.getBatteryInfo); undefined elsewhere. */
  battery(): Promise<{ level: number; charging: boolean } | undefined>;
}

export interface DeviceStorage {
  /** The stored value, or undefined. */
  get(key: string): unknown;
  /** False when only kept in memory for this run (the host refused to store it). */
  set(key: string, value: unknown): boolean;
  remove(key: string): void;
}

export interface DeviceLocation {
  lat: number;
  lng: number;
  /** Horizontal accuracy in metres. */
  accuracy: number;
  coordSystem: 'gcj02' | 'wgs84';
}

/** The few socket calls we use, the same on every target. */
export interface LiveSocket {
  send(text: string): void;
  close(): void;
  onOpen(cb: () => void): void;
  onMessage(cb: (text: string) => void): void;
  /** Closed or failed: either way it is gone. */
  onClose(cb: () => void): void;
}

/** What the server hands over to open a payment (`PaymentOrderView.pay`). */
export type PayParams = NonNullable<PaymentOrderView['pay']>;
export type PayOutcome = 'done' | 'cancelled' | 'left';

/** accepted: at least one template accepted; unsupported: nothing to ask on this platform. */
export type SubscribeOutcome = 'accepted' | 'rejected' | 'unsupported';

/** Thrown by `getLoginCode`/`scan` with a message fit to show to the person. */
export class PlatformError extends Error {
  readonly detail: unknown;

  constructor(message: string, detail?: unknown) {
    super(message);
    this.name = 'PlatformError';
    this.detail = detail;
  }
}

/** Mini-program API failures carry `errMsg` (WeChat) or `errorMessage` (Alipay). */
export function isCancel(err: unknown): boolean {
  const e = err as { errMsg?: string; errorMessage?: string; error?: number } | undefined;
  const msg = `${e?.errMsg ?? ''} ${e?.errorMessage ?? ''}`;
  // WeChat: "scanCode:fail cancel"; Alipay: error 10 = user cancelled.
  return /cancel/i.test(msg) || e?.error === 10 || e?.error === 11;
}
