/**
 * Messages to residents: `notify(userId, template, data)`. Every message lands in the user's
 * inbox (GET /v1/me/notifications); in production it also goes out as a WeChat subscription
 * message or an Alipay template message, in the sandbox it is only recorded (with the payload
 * that would have been sent), so tests and the local demo can read it. `config.providerMode`
 * chooses. A message that cannot be delivered never fails the booking that caused it.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { renderNotification, type AppointmentMessageData, type NotificationTemplate, type NotificationView } from '@hospital/shared';
import { config } from './config';
import { logger } from './logger';
import { db, table, ttlIn } from './table';
import { platformSender, type Delivery } from './notifier-platforms';

export interface Notifier {
  notify(userId: string, template: NotificationTemplate, data: AppointmentMessageData): Promise<void>;
}

/** Inbox items live 90 days. */
const INBOX_TTL_SECONDS = 90 * 24 * 3600;
const inboxKey = (userId: string, at: string, id: string) => ({ PK: `INBOX#${userId}`, SK: `${at}#${id}` });

async function record(userId: string, template: NotificationTemplate, data: AppointmentMessageData, delivery: Delivery) {
  const id = randomUUID();
  const createdAt = new Date().toISOString();
  const { title, body } = renderNotification(template, data);
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...inboxKey(userId, createdAt, id),
        id,
        template,
        title,
        body,
        ref: data.ref ?? `appointment:${data.appointmentId}`,
        channel: delivery.channel,
        delivered: delivery.delivered,
        payload: delivery.payload,
        createdAt,
        ttl: ttlIn(INBOX_TTL_SECONDS),
      },
    }),
  );
}

/** Records only: the local stack and tests. */
export const sandboxNotifier: Notifier = {
  async notify(userId, template, data) {
    await record(userId, template, data, { channel: 'sandbox', delivered: true, payload: { template, data } });
  },
};

/** Sends through the user's platform (WeChat or Alipay), then records the outcome. */
export const platformNotifier: Notifier = {
  async notify(userId, template, data) {
    const delivery = await platformSender.send(userId, template, data);
    await record(userId, template, data, delivery);
  },
};

export const notifier = (): Notifier => (config.providerMode === 'real' ? platformNotifier : sandboxNotifier);

/** Notify without ever throwing: the caller's state is already durable. */
export async function notify(userId: string, template: NotificationTemplate, data: AppointmentMessageData): Promise<void> {
  try {
    await notifier().notify(userId, template, data);
  } catch (e) {
    logger.warn('notify failed', { template, user: userId, error: (e as Error).name });
  }
}

/** The user's inbox, newest first. */
export async function inbox(userId: string, limit = 50): Promise<NotificationView[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p',
      ExpressionAttributeValues: { ':p': `INBOX#${userId}` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []) as NotificationView[];
}
