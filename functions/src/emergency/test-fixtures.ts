/**
 * SOS presses for the emergency tests, as the gateway delivers them: each from its own client
 * address unless one is given (many presses from one address are a suspected flood, which
 * flood.test.ts tests on purpose), each app with its own device secret unless one is given.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { api, type CreateEmergencyRequest } from '@hospital/shared';
import { event, lambdaContext } from '#test/http';
import { handler } from './handler';

/** The secret an app keeps on its device. */
export const newDevice = () => `dev-${randomUUID()}`;
/** A client address of its own (198.18.0.0/15, the range for tests). */
export const newAddress = () => `198.${18 + randomInt(2)}.${randomInt(256)}.${1 + randomInt(254)}`;

export interface PressOptions {
  token?: string;
  /** Idempotency-Key (a new one by default). */
  key?: string;
  /** The client address the gateway saw (a new one by default). */
  ip?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function press(body: CreateEmergencyRequest, o: PressOptions = {}): Promise<{ status: number; body: any; text: string }> {
  const ev = event(api.emergency.create, { body, token: o.token, headers: { 'idempotency-key': o.key ?? `sos-${randomUUID()}` } });
  ev.requestContext.http.sourceIp = o.ip ?? newAddress();
  const res = (await handler(ev, lambdaContext() as Parameters<typeof handler>[1])) as { statusCode?: number; body?: string };
  const text = res.body ?? '';
  return { status: res.statusCode ?? 200, body: text ? JSON.parse(text) : undefined, text };
}

/** Headers of a caller's later request: the capability token with the device secret it is bound to. */
export const asCaller = (device: string | undefined, token: string) => ({ authorization: `Bearer ${token}`, ...(device ? { 'x-device-secret': device } : {}) });
