/**
 * Who pays: the WeChat openid / Alipay user id of the logged-in user (stored at login). In the
 * sandbox a demo user who logged in with the dev login has none, so a stable stand-in is derived
 * from the user id; with real providers such a user must log in on that platform first.
 */
import { createHash } from 'node:crypto';
import type { PaymentChannel } from '@hospital/shared';
import { config } from '#lib/config';
import { conflict } from '#lib/errors';
import { platformIdOf } from '../auth/store';

const h = (s: string) => createHash('sha256').update(s).digest();

export async function payerId(userId: string, channel: PaymentChannel): Promise<string> {
  const stored = await platformIdOf(userId, channel);
  if (stored) return stored;
  if (config.providerMode === 'sandbox') {
    return channel === 'wechat'
      ? `o${h(`payer:${userId}`).toString('base64url').slice(0, 27)}`
      : `2088${(h(`payer:${userId}`).readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0')}`;
  }
  throw conflict('PAYER_UNKNOWN', channel === 'wechat' ? '请在微信中登录后再使用微信支付' : '请在支付宝中登录后再使用支付宝支付');
}
