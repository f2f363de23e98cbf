/**
 * Runs both sandboxes on their own: `node --import tsx scripts/sandboxes/run.ts
 * [--wechat-port 4010] [--alipay-port 4020] [--keys .data/keys] [--public-key-mode]
 * [--write-env .data/sandbox.env]`. Prints URLs only; the env file (mode 0600) holds the keys.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ensureSandboxKeys, sandboxProviderEnv, startAlipaySandbox, startWechatSandbox } from './index';

const { values } = parseArgs({
  options: {
    'wechat-port': { type: 'string', default: '4010' },
    'alipay-port': { type: 'string', default: '4020' },
    keys: { type: 'string', default: '.data/keys' },
    'public-key-mode': { type: 'boolean', default: false },
    'write-env': { type: 'string' },
  },
});

const keys = await ensureSandboxKeys(values.keys);
const wechat = await startWechatSandbox({ port: Number(values['wechat-port']), keys, publicKeyMode: values['public-key-mode'] });
const alipay = await startAlipaySandbox({ port: Number(values['alipay-port']), keys });
if (values['write-env']) {
  const env = sandboxProviderEnv(keys, { wechatBase: wechat.url, alipayGateway: alipay.gateway });
  await writeFile(values['write-env'], Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
}
console.log(`WeChat sandbox  ${wechat.url}  (code2Session, WeChat Pay v3, /checkout?prepay_id=)`);
console.log(`Alipay sandbox  ${alipay.gateway}  (/checkout?trade_no=)`);

const stop = async () => {
  await Promise.all([wechat.close(), alipay.close()]);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
