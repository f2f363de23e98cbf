/**
 * WebSocket routes. $connect authenticates by `?token=` (browsers cannot set headers on a
 * WebSocket) and subscribes the connection to its user and role topics; clients may add public
 * topics. Every route answers 200: anything else makes the gateway send "Internal server error".
 */
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { logger } from '#lib/logger';
import { PUBLIC_TOPIC, registerConnection, roleTopic, sessionTopic, subscribe, unsubscribeAll, userTopic } from '#lib/realtime';
import { emergencyTopic } from '@hospital/shared';
import { verifyAccessToken, verifyEmergencyToken } from '#lib/tokens';
import { assertSessionLive } from '#lib/sessions';
import { dispatchCentre, hasRoleIn } from '#lib/authority';

type WsEvent = APIGatewayProxyWebsocketEventV2 & { queryStringParameters?: Record<string, string> };
const ok = (body = '') => ({ statusCode: 200, body });

export const connect = async (event: WsEvent) => {
  const token = event.queryStringParameters?.token;
  // A session ended by logout opens nothing (lib/sessions.ts).
  const principal = token ? await verifyAccessToken(token).then(async (p) => (await assertSessionLive(p), p)).catch(() => null) : null;
  if (principal) {
    // The console's live topic is the dispatch centre's: a dispatcher of another centre is not subscribed.
    const roles = principal.roles.filter((r) => r !== 'dispatcher' || hasRoleIn(principal, dispatchCentre(), 'dispatcher'));
    const session = principal.sessionId ? [sessionTopic(principal.sessionId)] : [];
    await registerConnection(event.requestContext.connectionId, [userTopic(principal.userId), ...roles.map(roleTopic), ...session]);
    return ok();
  }
  // An emergency caller without an account: their capability token opens only that emergency's topic.
  const emergency = token ? await verifyEmergencyToken(token).catch(() => null) : null;
  if (!emergency) return { statusCode: 401, body: 'unauthenticated' };
  await registerConnection(event.requestContext.connectionId, [emergencyTopic(emergency.emergencyId)]);
  return ok();
};

export const disconnect = async (event: WsEvent) => {
  await unsubscribeAll(event.requestContext.connectionId).catch((e) => logger.warn('disconnect cleanup failed', { error: (e as Error).name }));
  return ok();
};

/** `{"action":"subscribe","topic":"queue:<scheduleId>"}` or `{"action":"ping"}`. */
export const message = async (event: WsEvent) => {
  try {
    const msg = JSON.parse(event.body ?? '{}') as { action?: string; topic?: string };
    if (msg.action === 'subscribe' && typeof msg.topic === 'string' && PUBLIC_TOPIC.test(msg.topic)) {
      await subscribe(event.requestContext.connectionId, msg.topic);
    }
  } catch {
    /* a malformed frame is ignored, never an error to the socket */
  }
  return ok();
};
