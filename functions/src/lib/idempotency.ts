/**
 * `Idempotency-Key` for writes a client may retry, on Powertools idempotency with the one table.
 * The record key is the caller, the route and the client's key, so two users' keys never meet;
 * the body is checked too, so a reused key with a different body is refused, not replayed.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamo, table } from './table';

/**
 * Powertools' composite-key mode puts every record under one static partition key, a hot
 * partition on a release morning. Here each record is its own partition: PK = the hashed key.
 */
class SpreadPersistenceLayer extends DynamoDBPersistenceLayer {
  protected override getKey(idempotencyKey: string) {
    return { PK: { S: idempotencyKey }, SK: { S: 'IDEMPOTENCY' } };
  }
}

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

let run: ((payload: IdempotentPayload, thunk: () => Promise<unknown>) => Promise<unknown>) | undefined;
let boundTable: string | undefined;

export interface IdempotentPayload {
  scope: string;
  key: string;
  body: unknown;
}

const config = new IdempotencyConfig({
  eventKeyJmesPath: '[scope, key]',
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
  throwOnNoIdempotencyKey: true,
});

/** Runs `thunk` once per (scope, key); a repeat gets the first call's stored result. */
export function idempotent<T>(payload: IdempotentPayload, thunk: () => Promise<T>, context?: Context): Promise<T> {
  if (!run || boundTable !== table()) {
    boundTable = table();
    run = makeIdempotent(async (_p: IdempotentPayload, t: () => Promise<unknown>) => t(), {
      persistenceStore: new SpreadPersistenceLayer({
        tableName: boundTable,
        keyAttr: 'PK',
        expiryAttr: 'ttl',
        awsSdkV3Client: dynamo,
      }),
      config,
    });
  }
  if (context) config.registerLambdaContext(context);
  return run(payload, thunk) as Promise<T>;
}
