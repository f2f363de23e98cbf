import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetProviderSecrets, loadProviderSecrets, PROVIDER_SECRETS, withProviderSecrets } from './secrets';

const deployed = { STAGE: 'prod', PROVIDER_MODE: 'real', SECRETS_PREFIX: '/internet-hospital/prod' };

function withEnv(vars: Record<string, string>) {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
}

describe('provider secrets from SSM', () => {
  let restore = () => {};
  afterEach(() => {
    restore();
    forgetProviderSecrets();
  });

  it('in a deployed real-provider stage, fills only the missing secrets, from one path read per container', async () => {
    restore = withEnv(deployed);
    const env: Record<string, string | undefined> = { WECHAT_APP_SECRET: 'from-env' };
    const read = vi.fn(async (path: string) => ({ WECHAT_APP_SECRET: 'from-ssm', WECHATPAY_PRIVATE_KEY: 'pem', WECHATPAY_APIV3_KEY: 'k'.repeat(32), ALIPAY_PRIVATE_KEY: 'alipay-pem', OTHER: 'x', path }));
    await loadProviderSecrets(read, env);
    await loadProviderSecrets(read, env);
    expect(read).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledWith('/internet-hospital/prod/providers');
    expect(env).toEqual({ WECHAT_APP_SECRET: 'from-env', WECHATPAY_PRIVATE_KEY: 'pem', WECHATPAY_APIV3_KEY: 'k'.repeat(32), ALIPAY_PRIVATE_KEY: 'alipay-pem' });
  });

  it('reads nothing locally, in sandbox mode, or when the environment has every secret', async () => {
    const read = vi.fn(async () => ({}));
    restore = withEnv({ STAGE: 'local', PROVIDER_MODE: 'real' });
    await loadProviderSecrets(read, {});
    restore();
    restore = withEnv({ ...deployed, PROVIDER_MODE: 'sandbox' });
    await loadProviderSecrets(read, {});
    restore();
    restore = withEnv(deployed);
    await loadProviderSecrets(read, Object.fromEntries(PROVIDER_SECRETS.map((n) => [n, 'set'])));
    expect(read).not.toHaveBeenCalled();
  });

  it('a failed read is not remembered: the next call tries again', async () => {
    restore = withEnv(deployed);
    const env: Record<string, string | undefined> = {};
    const read = vi.fn().mockRejectedValueOnce(new Error('throttled')).mockResolvedValueOnce({ ALIPAY_PRIVATE_KEY: 'pem' });
    await expect(loadProviderSecrets(read, env)).rejects.toThrow('throttled');
    await loadProviderSecrets(read, env);
    expect(env.ALIPAY_PRIVATE_KEY).toBe('pem');
  });

  it('a wrapped job runs after the secrets are in place', async () => {
    restore = withEnv({ STAGE: 'local' });
    const job = withProviderSecrets(async (n: number) => n * 2);
    expect(await job(21)).toBe(42);
  });
});
