import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { config } from '#lib/config';
import { dynamo, table } from '#lib/table';

/** The API answers; the table is reachable and ACTIVE, or the status says what it is. */
export async function tableHealth() {
  const started = Date.now();
  let status = 'UNREACHABLE';
  try {
    const out = await dynamo.send(new DescribeTableCommand({ TableName: table() }));
    status = out.Table?.TableStatus ?? 'UNKNOWN';
  } catch (e) {
    status = (e as { name?: string }).name === 'ResourceNotFoundException' ? 'NOT_FOUND' : 'UNREACHABLE';
  }
  return {
    status: status === 'ACTIVE' ? ('ok' as const) : ('degraded' as const),
    stage: config.stage,
    region: config.region,
    time: new Date().toISOString(),
    table: { name: table(), status, latencyMs: Date.now() - started },
  };
}
