import type { PlatformAdapter } from './types';

/**
 * Hosts without a privacy agreement or a permission screen of their own (a browser, targets we do
 * not ship): the first-login acceptance covers the agreement, the browser asks for each permission.
 */
export const noHostPrivacy = {
  requirePrivacyAuthorize: () => Promise.resolve(),
  startPrivacyAuthorization() {},
  openPrivacyContract: () => false,
  hideHomeButton() {},
  canOpenPermissionSettings: false,
  openPermissionSettings: () => Promise.resolve('unsupported' as const),
} satisfies Partial<PlatformAdapter>;
