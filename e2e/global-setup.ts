/** Starts the real local stack once (in-memory DynamoDB Local, serverless offline, sandboxes, H5). */
import type { TestProject } from 'vitest/node';
import { createHash } from 'node:crypto';
import { startStack } from '../scripts/lib/stack';

/** Test-only Agora credentials (32 hex each, derived, not a real project): tokens are verified offline. */
const hex32 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
const TEST_AGORA = { appId: hex32('e2e agora app id'), certificate: hex32('e2e agora certificate') };

declare module 'vitest' {
  export interface ProvidedContext {
    urls: { api: string; h5: string; websocket: string; wechat: string; alipay: string; dynamo: string; tencent: string };
    stackEnv: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  // The 120 console escalates a request unacknowledged this long (90 s in production): short here so a test can see it.
  process.env.SOS_ESCALATE_AFTER_SECONDS ??= '8';
  const stack = await startStack({ h5: true, quiet: true, log: () => {}, agora: TEST_AGORA });
  project.provide('urls', { ...stack.urls, h5: stack.urls.h5! });
  project.provide('stackEnv', stack.env);
  return () => stack.stop();
}
