/** Starts the WeChat, Alipay and Tencent Cloud sandboxes on free ports and points the provider config at them. */
import { resolve } from 'node:path';
import { ensureSandboxKeys, sandboxProviderEnv } from '../../scripts/sandboxes/keys';
import { startWechatSandbox } from '../../scripts/sandboxes/wechat';
import { startAlipaySandbox } from '../../scripts/sandboxes/alipay';
import { SANDBOX_TENCENT_SECRET, startTencentSandbox, tencentSandboxEnv } from '../../scripts/sandboxes/tencent';
import { freePort } from '../../scripts/lib/proc';

export async function startSandboxes() {
  // Keys are generated once per checkout (RSA generation is slow) and reused by every test file.
  const keys = await ensureSandboxKeys(resolve(import.meta.dirname, '../../.data/test-keys/keys'));
  const wechat = await startWechatSandbox({ port: await freePort(), keys, retryDelaysMs: [100, 300] });
  const alipay = await startAlipaySandbox({ port: await freePort(), keys, retryDelaysMs: [100, 300] });
  const tencent = await startTencentSandbox({ port: await freePort(), secretId: SANDBOX_TENCENT_SECRET.id, secretKey: SANDBOX_TENCENT_SECRET.key });
  Object.assign(process.env, sandboxProviderEnv(keys, { wechatBase: wechat.url, alipayGateway: `${alipay.url}/gateway.do` }), tencentSandboxEnv(tencent.url));
  return { keys, wechat, alipay, tencent, close: async () => (await wechat.close(), await alipay.close(), await tencent.close()) };
}
