import type { ProviderPage } from './web-page';

export type { ProviderPage } from './web-page';

/**
 * The browser: the provider's page replaces ours in the same window and sends the person back to
 * `H5_ORIGIN` + the app page (browser router: `/packages/.../index?patientId=…`), adding
 * `BizToken=<token>` to the query. The server accepts return URLs under `H5_ORIGIN` only.
 */
export const providerPage: ProviderPage = {
  mode: 'same-window',
  returnUrl: (pagePath) => `${H5_ORIGIN}${pagePath}`,
  leaveFor(url) {
    if (typeof window !== 'undefined') window.location.href = url;
  },
};
