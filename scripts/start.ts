/** `npm start`: the whole product locally on embedded defaults. Ctrl-C stops every child. */
import { resolve } from 'node:path';
import { ROOT } from './lib/dynamo';
import { buildH5IfStale, buildInProgress } from './lib/build';
import { startStack, stopRunning } from './lib/stack';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const noBuild = process.argv.includes('--no-build');


let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping …');
  await buildInProgress?.stop();
  await stopRunning();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

if (!noBuild) await buildH5IfStale();
const stack = await startStack({ dataDir: resolve(ROOT, '.data'), h5: true });

console.log(`
互联网医院 local stack is running
  H5 app            ${stack.urls.h5}        (选择演示用户登录)
  API               ${stack.urls.api}/v1/health
  WebSocket         ${stack.urls.websocket}
  DynamoDB Local    ${stack.urls.dynamo}     (data in .data/dynamodb)
  WeChat sandbox    ${stack.urls.wechat}     (login + WeChat Pay v3)
  Alipay sandbox    ${stack.urls.alipay}/gateway.do
  Tencent sandbox   ${stack.urls.tencent}     (实名认证 FaceID + SMS; codes at /sandbox/sms?phone=…)
Press Ctrl-C to stop.`);
