import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandboxKeys } from '../../../../scripts/sandboxes/keys';
import { startAlipaySandbox } from '../../../../scripts/sandboxes/alipay';
import { createAlipaySdk } from './alipay';
import { alipayConfig, wechatLoginConfig } from './config';
import { ProviderError } from './errors';
import { alipayLogin, wechatLogin } from './login';
import { type Sandboxes, startSandboxes } from './test-sandboxes';

let sb: Sandboxes;
beforeAll(async () => {
  sb = await startSandboxes();
});
afterAll(() => sb?.close());

const code = (e: unknown) => (e instanceof ProviderError ? e.code : String(e));

describe('sandbox keys', () => {
  it('are generated once per folder, atomically, private to the owner', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keys-'));
    try {
      const [a, b] = await Promise.all([ensureSandboxKeys(dir), ensureSandboxKeys(dir)]);
      expect(b).toEqual(a);
      expect(await ensureSandboxKeys(dir)).toEqual(a);
      expect((await stat(join(dir, 'sandbox-keys.json'))).mode & 0o077).toBe(0);
      expect(a.wechat.publicKeyId).toMatch(/^PUB_KEY_ID_\d+$/);
      expect(a.wechat.merchantSerial).toMatch(/^[0-9A-F]{40}$/);
      expect(Buffer.byteLength(a.wechat.apiV3Key)).toBe(32);
      expect(a.alipay.appPrivateKey).toContain('BEGIN PRIVATE KEY'); // PKCS8
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('config never exposes secrets when logged or serialised', () => {
    const cfg = alipayConfig(sb.env());
    expect(cfg.privateKey).toContain('PRIVATE KEY');
    expect(JSON.stringify(cfg)).not.toContain('PRIVATE');
    expect(JSON.stringify(wechatLoginConfig(sb.env()))).not.toContain(sb.keys.wechat.appSecret);
  });
});

describe('WeChat login (code2Session)', () => {
  it('maps a sandbox code to a stable openid', async () => {
    const login = wechatLogin(wechatLoginConfig(sb.env()));
    const a = await login.exchange('sandbox:alice');
    expect(a.provider).toBe('wechat');
    expect(a.subject).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect((await login.exchange('sandbox:alice')).subject).toBe(a.subject);
    expect((await login.exchange('sandbox:bob')).subject).not.toBe(a.subject);
  });

  it('rejects a bad code as INVALID_CODE and wrong credentials as CONFIG', async () => {
    const login = wechatLogin(wechatLoginConfig(sb.env()));
    await expect(login.exchange('not-a-code')).rejects.toSatisfy((e) => code(e) === 'INVALID_CODE');
    await expect(login.exchange('')).rejects.toSatisfy((e) => code(e) === 'INVALID_CODE');
    const wrong = wechatLogin(wechatLoginConfig({ ...sb.env(), WECHAT_APP_SECRET: 'x'.repeat(32) }));
    await expect(wrong.exchange('sandbox:alice')).rejects.toSatisfy((e) => code(e) === 'CONFIG' && (e as ProviderError).providerCode === '40125');
  });

  it('reports an unreachable API as UNAVAILABLE', async () => {
    const login = wechatLogin(wechatLoginConfig({ ...sb.env(), WECHAT_API_BASE: 'http://127.0.0.1:1' }));
    await expect(login.exchange('sandbox:alice')).rejects.toSatisfy((e) => code(e) === 'UNAVAILABLE');
  });
});

describe('Alipay login (alipay.system.oauth.token)', () => {
  it('maps a sandbox code to a stable user id, with the response signature verified', async () => {
    const login = alipayLogin(alipayConfig(sb.env()));
    const a = await login.exchange('sandbox:alice');
    expect(a).toEqual({ provider: 'alipay', subject: expect.stringMatching(/^2088\d{12}$/) });
    expect((await login.exchange('sandbox:alice')).subject).toBe(a.subject);
    expect((await login.exchange('sandbox:bob')).subject).not.toBe(a.subject);
  });

  it('rejects a bad code (signed error_response) as INVALID_CODE', async () => {
    const login = alipayLogin(alipayConfig(sb.env()));
    await expect(login.exchange('bogus')).rejects.toSatisfy((e) => code(e) === 'INVALID_CODE' && (e as ProviderError).providerCode === 'isv.code-invalid');
  });

  it('is refused by the gateway when our request is signed with the wrong app key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const login = alipayLogin(alipayConfig({ ...sb.env(), ALIPAY_PRIVATE_KEY: other }));
    await expect(login.exchange('sandbox:alice')).rejects.toSatisfy((e) => code(e) === 'CONFIG' && (e as ProviderError).providerCode === 'isv.invalid-signature');
  });

  it('throws on a forged response (signed with a key that is not Alipay\'s)', async () => {
    const forgedKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = await startAlipaySandbox({ port: 0, keys: { ...sb.keys, alipay: { ...sb.keys.alipay, alipayPrivateKey: forgedKey } } });
    try {
      const login = alipayLogin(alipayConfig({ ...sb.env(), ALIPAY_GATEWAY: forged.gateway }));
      await expect(login.exchange('sandbox:alice')).rejects.toSatisfy((e) => code(e) === 'BAD_RESPONSE_SIGNATURE');
      // A forged error_response is not trusted either.
      await expect(login.exchange('bogus')).rejects.toSatisfy((e) => code(e) === 'BAD_RESPONSE_SIGNATURE');
    } finally {
      await forged.close();
    }
  });

  it('needs Beijing timestamps: a UTC-stamped request is refused whatever the process TZ', async () => {
    const sdk = createAlipaySdk(alipayConfig(sb.env()));
    const utc = new Date().toISOString().slice(0, 19).replace('T', ' ');
    const r = await sdk.exec('alipay.trade.query', { timestamp: utc, bizContent: { out_trade_no: 'none000' } }, { validateSign: true });
    expect(r.sub_code).toBe('isv.invalid-timestamp');
  });
});
