import type { TestProject } from 'vitest/node';
import { ensureTable, startDynamo } from '../../scripts/lib/dynamo';
import { freePort } from '../../scripts/lib/proc';

export const TEST_TABLE = 'internet-hospital-test';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamo({ port: await freePort() });
  await ensureTable(dynamo.endpoint, TEST_TABLE);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
