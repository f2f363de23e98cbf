/**
 * A provider's own H5 page (Tencent FaceID for 实名认证): how it is opened here and how the person
 * comes back. This file is what WeChat and Alipay builds (and the type checker) use;
 * `web-page.h5.ts` is the browser's.
 *
 * Mini-programs: the page opens in a <web-view> page of the app (the provider's H5 domain must be
 * a business domain: 业务域名 in the WeChat console, H5 域名白名单 in the Alipay console); no
 * return URL is given, the person comes back with 返回 and the app asks the server for the result.
 */
export interface ProviderPage {
  /** `web-view`: open it in the app's <web-view> page; `same-window`: this browser window leaves for it. */
  readonly mode: 'web-view' | 'same-window';
  /** The absolute URL the provider sends the person back to (H5), from an app page path; none in a mini-program. */
  returnUrl(pagePath: string): string | undefined;
  /** `same-window` only: leave for the provider's page (a later load of `returnUrl` comes back). */
  leaveFor(url: string): void;
}

export const providerPage: ProviderPage = {
  mode: 'web-view',
  returnUrl: () => undefined,
  leaveFor: () => {},
};
