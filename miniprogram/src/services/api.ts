/**
 * The app's API client: the typed client of `client.ts` wired to Taro.request, the stored
 * session and the platform's network state.
 *
 *   import { api, call } from '../services/api';
 *   const health = await call(api.health.health);
 *   const pair = await call(api.auth.login, { body: { provider: 'wechat', code } });
 *
 * In components prefer `useApi(route, args)` (reads) and `useAction(route)` (writes), which add
 * loading / error / offline state and retry.
 */
import { api } from '@hospital/shared';
import { platform } from '../platform';
import { createClient } from './client';
import { sessionTokens } from './session';
import { taroTransport } from './transport';
import { authRequiredHandler } from './auth-redirect';

export const client = createClient({
  baseUrl: API_BASE,
  transport: taroTransport,
  tokens: sessionTokens,
  isOffline: () => platform.isOffline(),
  onAuthRequired: authRequiredHandler,
});

export const call = client.call;
export const prepare = client.prepare;
export { api };
export { ApiError, describeError, isApiError, type CallArgs, type Result } from './client';
