/**
 * Secrets published in this repository — the local stack's lab, HIS and kiosk secrets
 * (`local-lab-secret-<source>`, `local-his-secret-<source>`, `DEMO_KIOSK_SECRET`'s default), the
 * Tencent sandbox's credentials, the fixed keys of tests and benches — are for the `local` and
 * `test` stages only. A deployment of any other stage that is handed one (in its environment, in
 * SSM, in a kiosk's stored secrets) refuses to start instead of trusting it: anyone who has read
 * the README could sign a lab report or a kiosk push for it.
 *
 * And a deployment to AWS under a local stage name (`osls deploy` without `--stage` deploys
 * `local`) would fall back to those published secrets: it refuses to start too.
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** Shapes of every development secret the repository publishes (README, scripts, tests, benches). */
const PUBLISHED: RegExp[] = [
  /^local-(lab|his)-secret-/i, // reports/sources.ts, payments/config.ts local fallbacks
  /local-?only/i, // DEMO_KIOSK_SECRET's default, the Tencent sandbox SecretId/SecretKey
  /0123456789abcdef/i, // JWT_SECRET / PERSON_KEY_SECRET of tests, benches and the fuzz
  /^(test|bench|fuzz|demo|sandbox|local|dev)[-_]/i,
];

/** A key of one repeated byte (the tests' `Buffer.alloc(32, 7)` FIELD_DATA_KEY). */
const repeatedByte = (v: string) => {
  const b = /^[A-Za-z0-9+/]{40,}={0,2}$/.test(v) ? Buffer.from(v, 'base64') : undefined;
  return !!b && b.length >= 16 && b.every((x) => x === b[0]);
};

/** Is this value (or one of its comma-separated rotation parts) a secret published in the repository? */
export function isPublishedSecret(value: string): boolean {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .some((s) => PUBLISHED.some((p) => p.test(s)) || repeatedByte(s));
}

/** Environment variables that hold secrets (values are never printed, only names). */
const SECRET_ENV = /^(LAB_SECRET_\w+|HIS_SECRET_\w+|DEMO_KIOSK_SECRET|JWT_SECRET|PERSON_KEY_SECRET|FIELD_DATA_KEY|TENCENTCLOUD_SECRET_ID|TENCENTCLOUD_SECRET_KEY|WECHAT_APP_SECRET|WECHATPAY_APIV3_KEY|AGORA_APP_CERTIFICATE)$/;

/** Running in AWS Lambda itself (serverless-offline sets IS_OFFLINE; real Lambda sets AWS_EXECUTION_ENV). */
const inAws = (env: Record<string, string | undefined>) => (env.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda_') && env.IS_OFFLINE !== 'true';

/** What is wrong with this environment for its stage (empty: nothing). */
export function deployConfigProblems(env: Record<string, string | undefined> = process.env): string[] {
  const stage = env.STAGE || 'local';
  if (stage === 'local' || stage === 'test') {
    return inAws(env) ? [`stage "${stage}" is running in AWS Lambda: local stages use the published development secrets; deploy with --stage <name> (e.g. prod)`] : [];
  }
  return Object.entries(env)
    .filter(([name, value]) => SECRET_ENV.test(name) && value && isPublishedSecret(value))
    .map(([name]) => `${name} holds a development secret published in the repository; set the stage's own secret (SSM ${env.SECRETS_PREFIX || `/internet-hospital/${stage}`}/…) instead`);
}

/** At cold start (the http stack, scheduled jobs): a clear configuration error instead of a published secret. */
export function assertDeployableConfig(env: Record<string, string | undefined> = process.env): void {
  const problems = deployConfigProblems(env);
  if (problems.length) throw new ConfigurationError(`configuration error (stage ${env.STAGE || 'local'}): ${problems.join('; ')}`);
}

/** A secret read at run time (SSM, a kiosk's stored secrets): refused off the local stages when it is a published one. */
export function refusePublished(name: string, value: string, stage = process.env.STAGE || 'local'): string {
  if (stage !== 'local' && stage !== 'test' && isPublishedSecret(value)) {
    throw new ConfigurationError(`configuration error (stage ${stage}): ${name} holds a development secret published in the repository`);
  }
  return value;
}
