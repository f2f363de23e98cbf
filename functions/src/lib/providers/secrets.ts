/**
 * Payment and login keys in AWS live in SSM Parameter Store (SecureString), not in the Lambda's
 * environment: `<SECRETS_PREFIX>/providers/<NAME>`, e.g. `/internet-hospital/prod/providers/
 * WECHATPAY_PRIVATE_KEY`. At cold start, in real-provider mode, the ones the environment does not
 * set are read in one request and kept in this process's environment, where the synchronous
 * provider configuration (config.ts) finds them. Locally and in sandbox mode nothing is read.
 */
import { config } from '../config';
import { loadIdentityKeys } from '../identity-keys';
import { assertDeployableConfig } from '../deploy-config';

/** Provider settings that are secrets (the rest are plain deploy-time environment variables). */
export const PROVIDER_SECRETS = ['WECHAT_APP_SECRET', 'WECHATPAY_PRIVATE_KEY', 'WECHATPAY_APIV3_KEY', 'ALIPAY_PRIVATE_KEY', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'] as const;

/** Reads every parameter under a path: name (last segment) → value. */
export type ReadParameters = (path: string) => Promise<Record<string, string>>;

const ssmByPath: ReadParameters = async (path) => {
  const { getParameters } = await import('@aws-lambda-powertools/parameters/ssm');
  const found = (await getParameters(path, { decrypt: true, recursive: false, maxAge: 300 })) ?? {};
  return Object.fromEntries(Object.entries(found).map(([k, v]) => [k.split('/').pop()!, String(v)]));
};

let loading: Promise<void> | undefined;

/** Fills the missing provider secrets from SSM once per container (a failure is retried next call). */
export function loadProviderSecrets(read: ReadParameters = ssmByPath, env: Record<string, string | undefined> = process.env): Promise<void> {
  if (config.providerMode !== 'real' || config.isLocal) return Promise.resolve();
  if (PROVIDER_SECRETS.every((n) => env[n])) return Promise.resolve();
  loading ??= read(`${config.secretsPrefix}/providers`).then(
    (values) => {
      for (const name of PROVIDER_SECRETS) if (!env[name] && values[name]) env[name] = values[name];
    },
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/** Wraps a scheduled job so provider clients (and identity keys) built inside it find their keys. */
export const withProviderSecrets = <A extends unknown[], R>(job: (...args: A) => Promise<R>) => {
  // Cold start of a scheduled job: refused like the http stack's (lib/deploy-config.ts).
  assertDeployableConfig();
  return async (...args: A): Promise<R> => {
    await Promise.all([loadProviderSecrets(), loadIdentityKeys()]);
    return job(...args);
  };
};

/** Tests: forget what was loaded. */
export const forgetProviderSecrets = () => (loading = undefined);
