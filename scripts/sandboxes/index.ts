/** The local WeChat / Alipay / Tencent Cloud sandboxes, for scripts/start.ts and the tests. */
export { ensureSandboxKeys, generateSandboxKeys, sandboxProviderEnv, type SandboxKeys, type SandboxEnvOptions } from './keys';
export { startWechatSandbox, sandboxOpenid, type WechatSandbox, type WechatSandboxOptions } from './wechat';
export { startAlipaySandbox, sandboxAlipayUser, type AlipaySandbox, type AlipaySandboxOptions } from './alipay';
export {
  startTencentSandbox, tencentSandboxEnv, SANDBOX_TENCENT_SECRET, type TencentSandbox, type TencentSandboxOptions,
} from './tencent';
