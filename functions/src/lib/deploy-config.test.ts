/** A deployed stage never starts on (or trusts) a development secret published in the repository. */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '@hospital/shared';
import { assertDeployableConfig, ConfigurationError, deployConfigProblems, isPublishedSecret } from './deploy-config';
import { secret } from './config';
import { signPush, verifyPush } from './hmac-push';
import { featureHandler } from './http/index';
import { withProviderSecrets } from './providers/secrets';

const PUBLISHED = {
  LAB_SECRET_CITY_LIS: 'local-lab-secret-city-lis',
  HIS_SECRET_CITY_HIS: 'local-his-secret-city-his',
  DEMO_KIOSK_SECRET: 'demo-kiosk-secret-taishan-01-local-only',
  TENCENTCLOUD_SECRET_KEY: 'sandboxLocalOnlyNotASecretKey000',
  JWT_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
  FIELD_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const realSecrets = () => ({
  JWT_SECRET: randomBytes(32).toString('hex'),
  LAB_SECRET_CITY_LIS: randomBytes(24).toString('base64'),
  HIS_SECRET_CITY_HIS: `${randomBytes(24).toString('hex')},${randomBytes(24).toString('hex')}`,
  FIELD_DATA_KEY: randomBytes(32).toString('base64'),
});

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

describe('secrets of the local and test stages', () => {
  it.each(Object.entries(PUBLISHED))('a prod deployment with the published %s does not start, naming the variable (never its value)', (name, value) => {
    const problems = deployConfigProblems({ STAGE: 'prod', ...realSecrets(), [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).not.toContain(value);
    expect(() => assertDeployableConfig({ STAGE: 'prod', [name]: value })).toThrow(ConfigurationError);
  });

  it('a published secret is caught inside a rotation list too', () => {
    expect(deployConfigProblems({ STAGE: 'staging', LAB_SECRET_REGIONAL_LAB: `${randomBytes(24).toString('hex')},local-lab-secret-regional-lab` })).toHaveLength(1);
  });

  it('the stage’s own secrets start', () => {
    expect(deployConfigProblems({ STAGE: 'prod', ...realSecrets() })).toEqual([]);
  });

  it('random secrets are never mistaken for published ones', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 48 }), fc.constantFrom('hex', 'base64', 'base64url') as fc.Arbitrary<BufferEncoding>, (bytes, enc) => {
        const b = Buffer.from(bytes);
        // An all-equal key is not random (and is what the tests use).
        fc.pre(!b.every((x) => x === b[0]));
        expect(isPublishedSecret(b.toString(enc))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('the local and test stages keep their development secrets', () => {
    expect(deployConfigProblems({ STAGE: 'local', ...PUBLISHED })).toEqual([]);
    expect(deployConfigProblems({ STAGE: 'test', ...PUBLISHED })).toEqual([]);
    expect(deployConfigProblems({ ...PUBLISHED })).toEqual([]);
    // serverless-offline runs the functions as Lambda would, and says so.
    expect(deployConfigProblems({ STAGE: 'local', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', IS_OFFLINE: 'true' })).toEqual([]);
  });

  it('a local stage deployed to AWS (osls deploy without --stage) does not start', () => {
    const [p] = deployConfigProblems({ STAGE: 'local', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_LAMBDA_FUNCTION_NAME: 'internet-hospital-local-reports' });
    expect(p).toMatch(/--stage/);
  });
});

describe('at cold start and at run time', () => {
  it('the http stack and scheduled jobs fail to start with a configuration error', async () => {
    Object.assign(process.env, { STAGE: 'prod', LAB_SECRET_CITY_LIS: PUBLISHED.LAB_SECRET_CITY_LIS });
    expect(() => featureHandler(api.health, { health: async () => ({ ok: true }) as never })).toThrow(/configuration error \(stage prod\).*LAB_SECRET_CITY_LIS/);
    expect(() => withProviderSecrets(async () => 1)).toThrow(ConfigurationError);
    // A fresh load of a feature's Lambda module, as a cold start does.
    vi.resetModules();
    await expect(import('../reports/handler')).rejects.toThrow(/LAB_SECRET_CITY_LIS/);
  });

  it('a published secret read at run time (environment or SSM) is refused off the local stages', async () => {
    process.env.STAGE = 'prod';
    process.env.FUZZ_TEST_SECRET = PUBLISHED.JWT_SECRET;
    await expect(secret('FUZZ_TEST_SECRET', 'x')).rejects.toThrow(ConfigurationError);
    process.env.STAGE = 'test';
    await expect(secret('FUZZ_TEST_SECRET', 'x')).resolves.toBe(PUBLISHED.JWT_SECRET);
  });

  it('a push signed with a published secret (the demo kiosk’s) is refused off the local stages', async () => {
    const body = '{}';
    const ts = String(Math.floor(Date.now() / 1000));
    const headers = { 'x-source': 'kiosk-taishan-01', 'x-timestamp': ts, 'x-nonce': 'nonce-0001', 'x-signature': signPush(PUBLISHED.DEMO_KIOSK_SECRET, ts, 'nonce-0001', body) };
    const secrets = async () => [PUBLISHED.DEMO_KIOSK_SECRET];
    await expect(verifyPush(headers, body, secrets)).resolves.toMatchObject({ source: 'kiosk-taishan-01' });
    process.env.STAGE = 'prod';
    await expect(verifyPush(headers, body, secrets)).rejects.toMatchObject({ status: 401, code: 'SIGNATURE_INVALID' });
  });
});
