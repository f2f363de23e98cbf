/** The payer is the logged-in user's own WeChat openid / Alipay user id, remembered at login. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { sandboxAlipayUser, sandboxOpenid } from '../../../scripts/sandboxes';
import { handler as auth } from '../auth/handler';
import { payerId } from './payer';
import { startPaymentsStack, type Stack } from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

describe('the payer', () => {
  it('is the openid / Alipay user id the login found', async () => {
    const who = `payer-${Date.now()}`;
    const wx = await call(auth, api.auth.login, { body: { provider: 'wechat', code: `sandbox:${who}` } });
    expect(wx.status, wx.text).toBe(200);
    expect(await payerId(wx.body.user.id, 'wechat')).toBe(sandboxOpenid(`sandbox:${who}`));
    const ali = await call(auth, api.auth.login, { body: { provider: 'alipay', code: `sandbox:${who}` } });
    expect(await payerId(ali.body.user.id, 'alipay')).toBe(sandboxAlipayUser(`sandbox:${who}`)?.user_id);
  });

  it('a demo user without one gets a stable sandbox stand-in; with real providers it is a 409', async () => {
    expect(await payerId('demo-patient', 'wechat')).toBe(await payerId('demo-patient', 'wechat'));
    expect(await payerId('demo-patient', 'alipay')).toMatch(/^2088\d{12}$/);
    process.env.PROVIDER_MODE = 'real';
    try {
      await expect(payerId('demo-patient', 'wechat')).rejects.toMatchObject({ status: 409, code: 'PAYER_UNKNOWN' });
    } finally {
      delete process.env.PROVIDER_MODE;
    }
  });
});
