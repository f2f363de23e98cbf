/** Configuration from the environment (set by serverless.yml; locally by scripts/start.ts). */
import { refusePublished } from './deploy-config';

export type ProviderMode = 'sandbox' | 'real';

function env(name: string, fallback?: string): string {
  const v = process.env[name];
  if (v !== undefined && v !== '') return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`configuration ${name} is not set`);
}

export const config = {
  get stage() { return env('STAGE', 'local'); },
  get isLocal() { return this.stage === 'local' || this.stage === 'test'; },
  get region() { return env('AWS_REGION', 'cn-northwest-1'); },
  get tableName() { return env('TABLE_NAME', 'internet-hospital-local'); },
  get h5Origin() { return env('H5_ORIGIN', 'http://127.0.0.1:10086'); },
  get providerMode(): ProviderMode { return env('PROVIDER_MODE', 'sandbox') === 'real' ? 'real' : 'sandbox'; },
  get secretsPrefix() { return env('SECRETS_PREFIX', `/internet-hospital/${this.stage}`); },
};

/**
 * A secret: from the environment when set (local, tests), else from SSM Parameter Store
 * (SecureString under SECRETS_PREFIX), cached by Powertools for the container's life.
 */
export async function secret(envName: string, ssmName: string): Promise<string> {
  const v = process.env[envName];
  if (v) return refusePublished(envName, v);
  if (config.isLocal) throw new Error(`secret ${envName} is not set`);
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  const value = await getParameter(`${config.secretsPrefix}/${ssmName}`, { decrypt: true, maxAge: 300 });
  if (!value) throw new Error(`secret ${ssmName} is missing in SSM`);
  // A deployed stage never runs on a development secret published in the repository (lib/deploy-config.ts).
  return refusePublished(`SSM ${config.secretsPrefix}/${ssmName}`, value);
}
