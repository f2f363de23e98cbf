/**
 * Mini-program login: exchange the code from `wx.login` / `my.getAuthCode` for the user's
 * stable id at the provider. Real vs sandbox is only the base URL / gateway and keys.
 */
import type { AlipaySdk } from 'alipay-sdk';
import { alipayExec, createAlipaySdk } from './alipay';
import { alipayConfig, type AlipayConfig, wechatLoginConfig, type WechatLoginConfig } from './config';
import { ProviderError } from './errors';

export interface LoginIdentity {
  provider: 'wechat' | 'alipay';
  /** WeChat openid, or the Alipay user_id (2088…) / open_id for apps on the open_id scheme. */
  subject: string;
  unionid?: string;
}

export interface LoginProvider {
  exchange(code: string): Promise<LoginIdentity>;
}

/** code2Session errors that mean "this code is no good" (invalid, already used, risky user). */
const WECHAT_BAD_CODE = new Set([40029, 40163, 40226]);

export function wechatLogin(config: WechatLoginConfig): LoginProvider {
  return {
    async exchange(code) {
      if (!code) throw new ProviderError('INVALID_CODE', 'empty login code', { provider: 'wechat' });
      const url = new URL('/sns/jscode2session', config.apiBase);
      url.search = new URLSearchParams({
        appid: config.appId, secret: config.appSecret, js_code: code, grant_type: 'authorization_code',
      }).toString();
      let body: { openid?: string; unionid?: string; errcode?: number; errmsg?: string };
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(config.timeoutMs ?? 5000) });
        // WeChat answers JSON as text/plain; parse the text.
        body = JSON.parse(await res.text());
      } catch {
        throw new ProviderError('UNAVAILABLE', 'WeChat code2Session failed (network, timeout or malformed answer)', { provider: 'wechat' });
      }
      if (body.errcode) {
        const providerCode = String(body.errcode);
        if (WECHAT_BAD_CODE.has(body.errcode)) throw new ProviderError('INVALID_CODE', `WeChat rejected the login code (${providerCode})`, { provider: 'wechat', providerCode });
        if (body.errcode === -1 || body.errcode === 45011) throw new ProviderError('UNAVAILABLE', `WeChat code2Session busy (${providerCode})`, { provider: 'wechat', providerCode });
        throw new ProviderError('CONFIG', `WeChat code2Session refused our app credentials (${providerCode})`, { provider: 'wechat', providerCode });
      }
      if (!body.openid) throw new ProviderError('UNAVAILABLE', 'WeChat code2Session returned no openid', { provider: 'wechat' });
      // session_key stays here: we never need it, and it must never be stored or logged.
      return { provider: 'wechat', subject: body.openid, ...(body.unionid ? { unionid: body.unionid } : {}) };
    },
  };
}

const ALIPAY_BAD_CODE = new Set(['isv.code-invalid', 'isv.code-expired', 'isv.auth-code-invalid', 'isv.invalid-auth-code']);

export function alipayLogin(config: AlipayConfig, sdk: AlipaySdk = createAlipaySdk(config)): LoginProvider {
  return {
    async exchange(code) {
      if (!code) throw new ProviderError('INVALID_CODE', 'empty login code', { provider: 'alipay' });
      const r = await alipayExec(sdk, 'alipay.system.oauth.token', { grant_type: 'authorization_code', code });
      const subject = r.user_id ?? r.open_id;
      if (typeof subject === 'string' && subject && (r.code === undefined || r.code === '10000')) {
        return { provider: 'alipay', subject };
      }
      const providerCode = String(r.sub_code ?? r.code ?? 'unknown');
      if (ALIPAY_BAD_CODE.has(providerCode)) throw new ProviderError('INVALID_CODE', `Alipay rejected the auth code (${providerCode})`, { provider: 'alipay', providerCode });
      throw new ProviderError(String(r.code).startsWith('2') ? 'UNAVAILABLE' : 'CONFIG', `Alipay oauth.token failed (${providerCode})`, { provider: 'alipay', providerCode });
    },
  };
}

/** The login provider for a channel, configured from the environment. */
export function loginProviderFromEnv(provider: 'wechat' | 'alipay', env: Record<string, string | undefined> = process.env): LoginProvider {
  return provider === 'wechat' ? wechatLogin(wechatLoginConfig(env)) : alipayLogin(alipayConfig(env));
}
