/** Starts the real local stack once (in-memory DynamoDB Local, serverless offline, sandboxes, H5). */
import type { TestProject } from 'vitest/node';
import { startStack } from '../scripts/lib/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    urls: { api: string; h5: string; websocket: string; wechat: string; alipay: string; dynamo: string };
    stackEnv: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startStack({ h5: true, quiet: true, log: () => {} });
  project.provide('urls', { ...stack.urls, h5: stack.urls.h5! });
  project.provide('stackEnv', stack.env);
  return () => stack.stop();
}
