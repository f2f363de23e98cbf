/**
 * Live updates over the WebSocket API. A connection is subscribed at $connect to its user's
 * topic (`user:<id>`) and to one topic per role (`role:dispatcher`), so a feature pushes to
 * people, never to guessed connection ids. Public topics (`queue:<scheduleId>`) carry no
 * personal data. A failed push never fails the write that caused it: callers poll as fallback.
 */
import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { BatchWriteCommand, DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from './config';
import { logger } from './logger';
import { db, table, ttlIn } from './table';

/** API Gateway closes a WebSocket after 2 hours; rows outlive it a little and then expire. */
const CONNECTION_TTL_SECONDS = 3 * 3600;

export const userTopic = (userId: string) => `user:${userId}`;
export const roleTopic = (role: string) => `role:${role}`;
/** The login session a connection was opened with: logout closes the session's sockets by it. */
export const sessionTopic = (sessionId: string) => `session:${sessionId}`;
export const PUBLIC_TOPIC = /^queue:[\w-]{1,80}$/;

const topicKey = (topic: string, connectionId: string) => ({ PK: `WS#TOPIC#${topic}`, SK: `CONN#${connectionId}` });
const connKey = (connectionId: string, topic: string) => ({ PK: `WS#CONN#${connectionId}`, SK: `TOPIC#${topic}` });

export async function subscribe(connectionId: string, topic: string) {
  const ttl = ttlIn(CONNECTION_TTL_SECONDS);
  await db.send(
    new BatchWriteCommand({
      RequestItems: {
        [table()]: [
          { PutRequest: { Item: { ...topicKey(topic, connectionId), connectionId, ttl } } },
          { PutRequest: { Item: { ...connKey(connectionId, topic), topic, ttl } } },
        ],
      },
    }),
  );
}

export async function unsubscribeAll(connectionId: string) {
  const rows = await db.send(
    new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': `WS#CONN#${connectionId}` } }),
  );
  for (const r of rows.Items ?? []) {
    await db.send(new DeleteCommand({ TableName: table(), Key: topicKey(r.topic as string, connectionId) }));
    await db.send(new DeleteCommand({ TableName: table(), Key: connKey(connectionId, r.topic as string) }));
  }
}

type Management = typeof import('@aws-sdk/client-apigatewaymanagementapi');
let client: { endpoint: string; api: ApiGatewayManagementApiClient; sdk: Management } | undefined;
const endpointOf = () =>
  process.env.WEBSOCKET_ENDPOINT ||
  (process.env.WEBSOCKET_API_ID ? `https://${process.env.WEBSOCKET_API_ID}.execute-api.${config.region}.amazonaws.com/${config.stage}` : undefined);
/**
 * Offline: the websocket port's root; in AWS: https://{apiId}.execute-api.{region}.amazonaws.com/{stage}.
 * Loaded when there is a connection to reach, not at cold start (its own chunk of the bundle).
 */
async function managementClient(endpoint: string) {
  if (client?.endpoint !== endpoint) {
    const sdk = await import('@aws-sdk/client-apigatewaymanagementapi');
    client = { endpoint, sdk, api: new sdk.ApiGatewayManagementApiClient({ endpoint, region: config.region, maxAttempts: 2 }) };
  }
  return client;
}

export interface LiveMessage {
  type: string;
  data?: unknown;
}

/**
 * Posts to every connection on the topics; gone connections (410) are removed. Returns how many
 * were reached. Never throws: the caller's state is already durable and clients poll too.
 */
async function connectionsOn(topic: string): Promise<string[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p',
      FilterExpression: '#ttl > :now',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':p': `WS#TOPIC#${topic}`, ':now': Math.floor(Date.now() / 1000) },
    }),
  );
  return (out.Items ?? []).map((i) => i.connectionId as string);
}

export async function publish(topics: string[], message: LiveMessage): Promise<number> {
  const endpoint = endpointOf();
  if (!endpoint) return 0;
  const payload = Buffer.from(JSON.stringify(message));
  let reached = 0;
  try {
    const conns = new Set<string>();
    for (const topic of topics) for (const c of await connectionsOn(topic)) conns.add(c);
    if (!conns.size) return 0;
    const { api: mgmt, sdk } = await managementClient(endpoint);
    await Promise.all(
      [...conns].map(async (ConnectionId) => {
        try {
          await mgmt.send(new sdk.PostToConnectionCommand({ ConnectionId, Data: payload }));
          reached++;
        } catch (e) {
          const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
          // Offline a stale connection answers a bare 410 the SDK names `Unknown`.
          if (err.name === 'GoneException' || err.$metadata?.httpStatusCode === 410) await unsubscribeAll(ConnectionId);
          else logger.warn('push failed', { type: message.type, error: err.name });
        }
      }),
    );
  } catch (e) {
    logger.warn('publish failed', { type: message.type, error: (e as Error).name });
  }
  return reached;
}

/** Records the connection's own topics at $connect. */
export async function registerConnection(connectionId: string, topics: string[]) {
  for (const t of topics) await subscribe(connectionId, t);
  await db.send(new PutCommand({ TableName: table(), Item: { ...connKey(connectionId, '$meta'), topic: '$meta', connectedAt: new Date().toISOString(), ttl: ttlIn(CONNECTION_TTL_SECONDS) } }));
}

/**
 * Closes every connection on the topic (a session's sockets at logout: a socket opened before the
 * logout would otherwise keep receiving that user's pushes for up to two hours). Never throws: the
 * revocation is already written and a reconnect with the revoked token is refused at $connect.
 */
export async function closeTopic(topic: string): Promise<number> {
  const endpoint = endpointOf();
  if (!endpoint) return 0;
  let closed = 0;
  try {
    const conns = await connectionsOn(topic);
    if (!conns.length) return 0;
    const { api: mgmt, sdk } = await managementClient(endpoint);
    await Promise.all(
      conns.map(async (ConnectionId) => {
        await mgmt.send(new sdk.DeleteConnectionCommand({ ConnectionId })).then(
          () => closed++,
          (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
            if (e.name !== 'GoneException' && e.$metadata?.httpStatusCode !== 410) logger.warn('close failed', { error: e.name });
          },
        );
        await unsubscribeAll(ConnectionId);
      }),
    );
  } catch (e) {
    logger.warn('close topic failed', { error: (e as Error).name });
  }
  return closed;
}
