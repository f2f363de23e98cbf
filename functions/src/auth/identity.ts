/** Which login provider serves a login: WeChat code2Session or Alipay oauth.token (real or sandbox by config). */
import { HttpError } from '#lib/errors';
import { alipayLogin, wechatLogin, type LoginProvider } from '#lib/providers/login';
import { alipayConfig, wechatLoginConfig } from '#lib/providers/config';
import { ProviderError } from '#lib/providers/errors';

const cache = new Map<string, LoginProvider>();

export function loginProvider(provider: 'wechat' | 'alipay'): LoginProvider {
  let p = cache.get(provider);
  if (!p) {
    p = provider === 'wechat' ? wechatLogin(wechatLoginConfig()) : alipayLogin(alipayConfig());
    cache.set(provider, p);
  }
  const chosen = p;
  return {
    exchange: (code: string) =>
      chosen.exchange(code).catch((e: unknown) => {
        // An invalid or used code is the caller's problem (401); an unreachable provider is ours (503).
        if (e instanceof ProviderError && e.code === 'INVALID_CODE') throw new HttpError(401, 'UNAUTHENTICATED', '登录凭证无效或已过期，请重试');
        if (e instanceof ProviderError) throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', '登录服务暂时不可用，请稍后重试');
        throw e;
      }),
  };
}
