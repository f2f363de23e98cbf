/**
 * The whole product on one machine: DynamoDB Local, the table and demo data, the provider
 * sandboxes, `osls offline` (the real serverless-offline) and the H5 build on a static server.
 * `npm start` and the e2e tests both start it through here.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ensureTable, ROOT, startDynamo, type Dynamo } from './dynamo';
import { portInUse, startGroup, stopGroup, waitFor } from './proc';
import { serveStatic } from './static';
import { seed } from '../seed';
import { ensureSandboxKeys, sandboxProviderEnv } from '../sandboxes/keys';
import { startWechatSandbox } from '../sandboxes/wechat';
import { startAlipaySandbox } from '../sandboxes/alipay';
import { SANDBOX_TENCENT_SECRET, startTencentSandbox, tencentSandboxEnv } from '../sandboxes/tencent';

export const PORTS = { api: 3000, websocket: 3001, lambda: 3002, h5: 10086, dynamo: 8000, wechat: 4001, alipay: 4002, tencent: 4003 };
export const STAGE = 'local';
export const TABLE = `internet-hospital-${STAGE}`;

export interface StackOptions {
  /** Folder for the engine's data file and local keys; omit for an in-memory engine (tests). */
  dataDir?: string;
  /** Serve the H5 build (built by the caller). */
  h5?: boolean;
  quiet?: boolean;
  /**
   * Agora credentials for the functions (32 hex each). Tests only: `npm start` leaves video
   * unconfigured (the room shows the local preview) unless AGORA_APP_ID/AGORA_APP_CERTIFICATE are set.
   */
  agora?: { appId: string; certificate: string };
  log?: (line: string) => void;
}

export interface Stack {
  urls: { api: string; websocket: string; h5?: string; dynamo: string; wechat: string; alipay: string; tencent: string };
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A JWT secret made once per data folder, so tokens survive a restart of `npm start`. */
function localSecret(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(32).toString('hex');
  const file = resolve(dataDir, 'jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** Stops of everything started so far, so Ctrl-C in the middle of a start leaves no orphan. */
const running: (() => Promise<void>)[] = [];
export async function stopRunning() {
  for (const s of running.splice(0).reverse()) await s().catch(() => {});
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? ((l: string) => console.log(l));
  for (const [name, port] of Object.entries(PORTS)) {
    if (name === 'h5' && !opts.h5) continue;
    if (await portInUse(port)) throw new Error(`port ${port} (${name}) is already in use: is another \`npm start\` running?`);
  }
  const stops = running;
  const stop = stopRunning;
  try {
    if (opts.dataDir) mkdirSync(resolve(opts.dataDir, 'dynamodb'), { recursive: true });
    log('· DynamoDB Local …');
    const dynamo: Dynamo = await startDynamo({ port: PORTS.dynamo, dataDir: opts.dataDir && resolve(opts.dataDir, 'dynamodb') });
    stops.push(() => dynamo.stop());
    const created = await ensureTable(dynamo.endpoint, TABLE);
    log(`· table ${TABLE} ${created ? 'created' : 'kept'}`);

    const keys = await ensureSandboxKeys(resolve(opts.dataDir ?? resolve(ROOT, '.data/test-keys'), 'keys'));
    const wechat = await startWechatSandbox({ port: PORTS.wechat, keys });
    stops.push(() => wechat.close());
    const alipay = await startAlipaySandbox({ port: PORTS.alipay, keys });
    stops.push(() => alipay.close());
    const tencent = await startTencentSandbox({ port: PORTS.tencent, secretId: SANDBOX_TENCENT_SECRET.id, secretKey: SANDBOX_TENCENT_SECRET.key });
    stops.push(() => tencent.close());

    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: 'cn-northwest-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TABLE_NAME: TABLE,
      STAGE,
      TZ: 'Asia/Shanghai',
      JWT_SECRET: localSecret(opts.dataDir),
      PROVIDER_MODE: 'sandbox',
      API_BASE: `http://127.0.0.1:${PORTS.api}`,
      H5_ORIGIN: `http://127.0.0.1:${PORTS.h5}`,
      WEBSOCKET_ENDPOINT: `http://127.0.0.1:${PORTS.websocket}`,
      ...(opts.agora ? { AGORA_APP_ID: opts.agora.appId, AGORA_APP_CERTIFICATE: opts.agora.certificate } : {}),
      DATA_DIR: resolve(opts.dataDir ?? resolve(ROOT, '.data/test')),
      ...sandboxProviderEnv(keys, { wechatBase: wechat.url, alipayGateway: `${alipay.url}/gateway.do` }),
      ...tencentSandboxEnv(tencent.url),
    };
    Object.assign(process.env, env);
    const demo = await seed();
    log(`· demo data: ${demo}`);

    log('· serverless offline (bundling functions) …');
    const offline: ChildProcess = startGroup(
      resolve(ROOT, 'node_modules/.bin/osls'),
      ['offline', 'start', '--stage', STAGE, '--localEnvironment'],
      { cwd: ROOT, env: { ...process.env, ...env, SLS_TELEMETRY_DISABLED: '1' }, stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' },
    );
    let offlineOut = '';
    offline.stdout?.on('data', (d) => (offlineOut = (offlineOut + d).slice(-4000)));
    offline.stderr?.on('data', (d) => (offlineOut = (offlineOut + d).slice(-4000)));
    stops.push(() => stopGroup(offline));
    await waitFor(async () => {
      if (offline.exitCode !== null) throw new Error(`serverless offline exited:\n${offlineOut}`);
      const r = await fetch(`http://127.0.0.1:${PORTS.api}/v1/health`);
      return r.ok;
    }, 180_000, 500);

    let h5: string | undefined;
    if (opts.h5) {
      const srv = await serveStatic(resolve(ROOT, 'miniprogram/dist/h5'), PORTS.h5);
      stops.push(() => srv.close());
      h5 = srv.url;
    }
    return {
      urls: {
        api: `http://127.0.0.1:${PORTS.api}`,
        websocket: `ws://127.0.0.1:${PORTS.websocket}`,
        h5,
        dynamo: dynamo.endpoint,
        wechat: wechat.url,
        alipay: alipay.url,
        tencent: tencent.url,
      },
      env,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
