import { inspect } from 'node:util';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../scripts/lib/proc';
import {
  SANDBOX_TENCENT_SECRET, startTencentSandbox, tc3Authorization, type TencentSandbox, tencentSandboxEnv,
} from '../../../../scripts/sandboxes/tencent';
import { ProviderError } from './errors';
import { faceIdConfig, faceVerifier, tencentClientConfig } from './faceid';
import { smsConfig, smsSender } from './sms';

const secret = { secretId: SANDBOX_TENCENT_SECRET.id, secretKey: SANDBOX_TENCENT_SECRET.key };
let sb: TencentSandbox;
let env: Record<string, string>;
beforeAll(async () => {
  sb = await startTencentSandbox({ port: await freePort(), ...secret });
  env = tencentSandboxEnv(sb.url);
});
afterAll(() => sb?.close());

const failure = (e: unknown) => (e instanceof ProviderError ? `${e.code} ${e.providerCode ?? ''}`.trim() : String(e));
const person = { name: '王小明', idNumber: '11010119900307001X', redirectUrl: 'http://127.0.0.1:10086/#/identity/done?step=face', extra: 'verification-42' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Tencent Cloud configuration', () => {
  it('keeps the secret key out of serialised or logged config and SDK clients', () => {
    for (const cfg of [faceIdConfig(env), smsConfig(env)]) {
      expect(cfg.secretKey).toBe(SANDBOX_TENCENT_SECRET.key);
      expect(JSON.stringify(cfg)).not.toContain(SANDBOX_TENCENT_SECRET.key);
      expect(inspect(cfg, { depth: 5 })).not.toContain(SANDBOX_TENCENT_SECRET.key);
    }
    const cfg = faceIdConfig(env);
    const client = new CommonClient(cfg.endpoint, '2018-03-01', tencentClientConfig(cfg));
    expect(JSON.stringify(client)).not.toContain(SANDBOX_TENCENT_SECRET.key);
  });

  it('defaults to the real https endpoints and refuses endpoints the SDK would sign wrongly', () => {
    const real = { ...env, FACEID_ENDPOINT: '', SMS_ENDPOINT: '' };
    expect(faceIdConfig(real)).toMatchObject({ endpoint: 'faceid.tencentcloudapi.com', protocol: 'https://', region: 'ap-guangzhou', timeoutMs: 5000 });
    expect(smsConfig(real)).toMatchObject({ endpoint: 'sms.tencentcloudapi.com', protocol: 'https://' });
    expect(faceIdConfig(env)).toMatchObject({ endpoint: `faceid.localhost:${new URL(sb.url).port}`, protocol: 'http://' });
    // The SDK takes the signing service from the endpoint's first label: "127" would be refused.
    expect(() => faceIdConfig({ ...env, FACEID_ENDPOINT: sb.url })).toThrow(/must be a host name starting with "faceid\."/);
    expect(() => faceIdConfig({ ...env, FACEID_ENDPOINT: 'http://faceid.example.com' })).toThrow(/http:\/\/ only for \*\.localhost/);
    expect(() => smsConfig({ ...env, SMS_SIGN_NAME: '' })).toThrow(ProviderError);
  });
});

describe('FaceID (DetectAuth / GetDetectInfoEnhanced)', () => {
  it('starts a verification and reports pending until the tester chooses', async () => {
    const fv = faceVerifier(env);
    const s = await fv.start(person);
    expect(s.bizToken.length).toBeGreaterThanOrEqual(32);
    expect(s.url).toBe(`${sb.url}/faceid/verify?token=${s.bizToken}`);
    expect(s.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await fv.result(s.bizToken)).toMatchObject({ status: 'pending', extra: person.extra });
  });

  it('reports pass with the verified name, ID number and Extra', async () => {
    const fv = faceVerifier(env);
    const { bizToken } = await fv.start(person);
    sb.setFaceOutcome(bizToken, 'pass');
    expect(await fv.result(bizToken)).toEqual({ status: 'pass', name: person.name, idNumber: person.idNumber, extra: person.extra, requestId: expect.any(String) });
  });

  it('reports fail with the FaceID result code', async () => {
    const fv = faceVerifier(env);
    const { bizToken } = await fv.start(person);
    sb.setFaceOutcome(bizToken, 'fail');
    const r = await fv.result(bizToken);
    expect(r).toMatchObject({ status: 'fail', errCode: 2016, extra: person.extra });
    expect(r.status === 'fail' && r.errMsg).toContain('无法判断为同一人');
  });

  it('mismatch: passes, but for a different person (the server must compare)', async () => {
    const fv = faceVerifier(env);
    const { bizToken } = await fv.start(person);
    sb.setFaceOutcome(bizToken, 'mismatch');
    const r = await fv.result(bizToken);
    expect(r.status).toBe('pass');
    if (r.status !== 'pass') return;
    expect(r.name).not.toBe(person.name);
    expect(r.idNumber).not.toBe(person.idNumber);
    expect(r.idNumber).toMatch(/^\d{17}[\dX]$/);
  });

  it('tester page: four choices, then a 303 back to RedirectUrl with BizToken', async () => {
    const fv = faceVerifier(env);
    const { bizToken, url } = await fv.start(person);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('模拟人脸核验 · 本地沙箱');
    for (const label of ['通过', '不通过', '姓名不一致', '超时未完成']) expect(html).toContain(`>${label}</button>`);
    expect(html).not.toContain(person.idNumber); // masked on the page

    const post = await fetch(`${sb.url}/faceid/verify`, {
      method: 'POST',
      body: new URLSearchParams({ token: bizToken, outcome: 'pass' }),
      redirect: 'manual',
    });
    expect(post.status).toBe(303);
    // Appended at the end: in a hash route that is the route's own query.
    expect(post.headers.get('location')).toBe(`${person.redirectUrl}&BizToken=${bizToken}`);
    expect(await fv.result(bizToken)).toMatchObject({ status: 'pass', name: person.name });
    expect((await fetch(url)).status).toBe(409); // 本次核验已完成

    const plain = await fv.start({ ...person, redirectUrl: 'https://h5.example.com/back?x=1' });
    const r = await fetch(`${sb.url}/faceid/verify`, { method: 'POST', body: new URLSearchParams({ token: plain.bizToken, outcome: 'fail' }), redirect: 'manual' });
    expect(r.headers.get('location')).toBe(`https://h5.example.com/back?x=1&BizToken=${plain.bizToken}`);
  });

  it('timeout: pending until the BizToken expires, then expired; finished results outlive the window', async () => {
    const short = await startTencentSandbox({ port: await freePort(), ...secret, bizTokenTtlMs: 300 });
    try {
      const fv = faceVerifier(tencentSandboxEnv(short.url));
      const [timedOut, untouched, passed] = [await fv.start(person), await fv.start(person), await fv.start(person)];
      short.setFaceOutcome(timedOut.bizToken, 'timeout');
      short.setFaceOutcome(passed.bizToken, 'pass');
      expect((await fv.result(timedOut.bizToken)).status).toBe('pending');
      await sleep(400);
      expect(await fv.result(timedOut.bizToken)).toMatchObject({ status: 'expired', requestId: expect.any(String) });
      expect((await fv.result(untouched.bizToken)).status).toBe('expired');
      expect((await fv.result(passed.bizToken)).status).toBe('pass');
      expect((await fetch(untouched.url)).status).toBe(410);
    } finally {
      await short.close();
    }
  });

  it('maps refusals: unknown BizToken, bad RedirectUrl → REJECTED with the API code', async () => {
    const fv = faceVerifier(env);
    await expect(fv.result('00000000-0000-0000-0000-000000000000')).rejects.toSatisfy((e) => failure(e) === 'REJECTED InvalidParameterValue.BizTokenIllegal');
    await expect(fv.start({ ...person, redirectUrl: 'javascript:alert(1)' })).rejects.toSatisfy((e) => failure(e) === 'REJECTED InvalidParameterValue');
    await expect(faceVerifier({ ...env, FACEID_RULE_ID: '999' }).start(person)).rejects.toSatisfy((e) => failure(e) === 'REJECTED InvalidParameterValue.RuleIdNotExist');
  });

  it('wrong secret key or id → CONFIG; errors never carry the name or ID number', async () => {
    const bad = faceVerifier({ ...env, TENCENTCLOUD_SECRET_KEY: 'not-the-key' });
    const err = await bad.start(person).catch((e: unknown) => e);
    expect(failure(err)).toBe('CONFIG AuthFailure.SignatureFailure');
    expect(JSON.stringify({ m: (err as Error).message, d: (err as ProviderError).details })).not.toMatch(/王小明|11010119900307001X|not-the-key/);
    await expect(faceVerifier({ ...env, TENCENTCLOUD_SECRET_ID: 'AKIDwrong' }).start(person)).rejects.toSatisfy((e) => failure(e) === 'CONFIG AuthFailure.SecretIdNotFound');
  });

  it('sandbox slower than the client timeout, or nothing listening → UNAVAILABLE', async () => {
    sb.setDelay(600);
    try {
      const started = Date.now();
      await expect(faceVerifier({ ...env, TENCENTCLOUD_TIMEOUT_MS: '150' }).start(person)).rejects.toSatisfy((e) => failure(e) === 'UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(550);
    } finally {
      sb.setDelay(0);
    }
    const nowhere = tencentSandboxEnv(`http://127.0.0.1:${await freePort()}`);
    await expect(smsSender(nowhere).send({ phone: '13800138000', templateParams: ['1', '5'] })).rejects.toSatisfy((e) => failure(e) === 'UNAVAILABLE');
  });
});

describe('SMS (SendSms)', () => {
  it('sends with +86 and the template params, readable at /sandbox/sms newest first', async () => {
    const sender = smsSender(env);
    const a = await sender.send({ phone: '13800138000', templateParams: ['123456', '5'] });
    const b = await sender.send({ phone: '+8613800138000', templateParams: ['654321', '5'] });
    expect(a.serialNo).toMatch(/^\d+:\d+$/);
    expect(sb.sms.filter((m) => m.phone === '+8613800138000').map((m) => m.params)).toEqual([['123456', '5'], ['654321', '5']]);
    expect(sb.sms.at(-1)).toMatchObject({ templateId: env.SMS_TEMPLATE_ID_VERIFY, serialNo: b.serialNo, at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const inbox = (await (await fetch(`${sb.url}/sandbox/sms?phone=13800138000`)).json()) as Array<{ params: string[]; text: string }>;
    expect(inbox.map((m) => m.params[0])).toEqual(['654321', '123456']);
    expect(inbox[0].text).toBe('【互联网医院】您的验证码为654321，5分钟内有效。如非本人操作，请忽略。');
    expect((await fetch(`${sb.url}/sandbox/sms?phone=123`)).status).toBe(400);
  });

  it('unapproved sign or template, wrong params, bad number → REJECTED with the real code', async () => {
    const send = (over: Record<string, string>, phone = '13900139000', templateParams = ['1234', '5']) =>
      smsSender({ ...env, ...over }).send({ phone, templateParams }).then(() => 'sent', failure);
    expect(await send({ SMS_SIGN_NAME: '别的签名' })).toBe('REJECTED FailedOperation.SignatureIncorrectOrUnapproved');
    expect(await send({ SMS_TEMPLATE_ID_VERIFY: '999999' })).toBe('REJECTED FailedOperation.TemplateIncorrectOrUnapproved');
    expect(await send({}, '13900139000', ['1234'])).toBe('REJECTED FailedOperation.TemplateParamSetNotMatchApprovedTemplate');
    expect(await send({}, '13900139000', ['abcdef', '5'])).toBe('REJECTED InvalidParameterValue.TemplateParameterFormatError');
    expect(await send({}, '12345')).toBe('REJECTED InvalidParameterValue.IncorrectPhoneNumber');
    expect(await send({ SMS_SDK_APP_ID: '1400999999' })).toBe('REJECTED UnauthorizedOperation.SmsSdkAppIdVerifyFail');
    expect(sb.sms.some((m) => m.phone === '+8613900139000')).toBe(false);
  });

  it('refuses the 11th message to one number within an hour', async () => {
    const sender = smsSender(env);
    for (let i = 0; i < 10; i++) await sender.send({ phone: '13700137000', templateParams: [String(100000 + i), '5'] });
    const err = await sender.send({ phone: '13700137000', templateParams: ['999999', '5'] }).catch(failure);
    expect(err).toBe('REJECTED LimitExceeded.PhoneNumberOneHourLimit');
    expect(sb.sms.filter((m) => m.phone === '+8613700137000')).toHaveLength(10);
    await sender.send({ phone: '13700137001', templateParams: ['1', '5'] }); // other numbers are unaffected
  });
});

describe('TC3-HMAC-SHA256 checks (hand-signed requests)', () => {
  // fetch sends its own Host (the URL's), so sign that; the sandbox signs what it receives, minus the port.
  const host = '127.0.0.1';
  const body = JSON.stringify({ SmsSdkAppId: '1400000001', SignName: '互联网医院', TemplateId: '100001', PhoneNumberSet: ['+8613600136000'], TemplateParamSet: ['2468', '5'] });
  const call = async (o: { timestamp?: number; service?: string; signedBody?: string; secretKey?: string } = {}) => {
    const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
    const headers = { 'content-type': 'application/json', host };
    const authorization = tc3Authorization(secret.secretId, {
      secretKey: o.secretKey ?? secret.secretKey, service: o.service ?? 'sms', timestamp, headers, body: o.signedBody ?? body,
    });
    const res = await fetch(`${sb.url}/`, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json', Authorization: authorization,
        'X-TC-Action': 'SendSms', 'X-TC-Version': '2021-01-11', 'X-TC-Timestamp': String(timestamp), 'X-TC-Region': 'ap-guangzhou',
      },
    });
    expect(res.status).toBe(200); // errors too, like the real API
    const r = (await res.json()) as { Response: { Error?: { Code: string }; RequestId: string; SendStatusSet?: Array<{ Code: string }> } };
    expect(r.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    return r.Response.Error?.Code ?? r.Response.SendStatusSet?.[0].Code;
  };

  it('accepts a correctly signed request (the sandbox signer agrees with the SDK)', async () => {
    expect(await call()).toBe('Ok');
  });

  it('refuses a replay whose X-TC-Timestamp is 10 minutes old', async () => {
    expect(await call({ timestamp: Math.floor(Date.now() / 1000) - 600 })).toBe('AuthFailure.SignatureExpire');
  });

  it('refuses a tampered body, a wrong key or the wrong service scope', async () => {
    expect(await call({ signedBody: body.replace('2468', '1357') })).toBe('AuthFailure.SignatureFailure');
    expect(await call({ secretKey: 'x'.repeat(32) })).toBe('AuthFailure.SignatureFailure');
    expect(await call({ service: '127' })).toBe('AuthFailure.SignatureFailure');
  });
});
