import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '#lib/table';
import { publish, registerConnection, userTopic } from '#lib/realtime';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler as auth } from '../auth/handler';
import { putUser } from '../auth/store';
import { connect, disconnect, message } from './handler';

// A management endpoint like the gateway's: POST /@connections/{id}; one connection is gone (410).
const received: Record<string, string[]> = {};
const closed: string[] = [];
const server = createServer((req, res) => {
  const id = decodeURIComponent(req.url!.split('/@connections/')[1] ?? '');
  if (req.method === 'DELETE') {
    closed.push(id);
    return res.writeHead(id.startsWith('gone') ? 410 : 204).end();
  }
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (id.startsWith('gone')) return res.writeHead(410).end();
    (received[id] ??= []).push(body);
    res.writeHead(200).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  process.env.WEBSOCKET_ENDPOINT = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const wsEvent = (connectionId: string, extra: object = {}) => ({ requestContext: { connectionId }, ...extra }) as never;
const rows = async (topic: string) =>
  (await db.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': `WS#TOPIC#${topic}` } }))).Items ?? [];

describe('live updates', () => {
  it('a connection needs a valid token and is subscribed to its user and role topics', async () => {
    const userId = `u_${randomUUID()}`;
    expect((await connect(wsEvent('c-anon'))).statusCode).toBe(401);
    expect((await connect(wsEvent('c-bad', { queryStringParameters: { token: 'x.y.z' } }))).statusCode).toBe(401);
    const conn = `c-${randomUUID()}`;
    const ok = await connect(wsEvent(conn, { queryStringParameters: { token: await tokenFor(['dispatcher'], userId, 'org-taian-120') } }));
    expect(ok.statusCode).toBe(200);
    expect((await rows(userTopic(userId))).map((r) => r.connectionId)).toEqual([conn]);
    expect((await rows('role:dispatcher')).map((r) => r.connectionId)).toContain(conn);
    // A dispatcher of another centre is not on this centre's console topic.
    const other = `c-${randomUUID()}`;
    expect((await connect(wsEvent(other, { queryStringParameters: { token: await tokenFor(['dispatcher'], undefined, 'org-other-120') } }))).statusCode).toBe(200);
    expect((await rows('role:dispatcher')).map((r) => r.connectionId)).not.toContain(other);

    await publish([userTopic(userId)], { type: 'emergency.updated', data: { id: 'e1' } });
    expect(received[conn]?.map((b) => JSON.parse(b))).toEqual([{ type: 'emergency.updated', data: { id: 'e1' } }]);

    await disconnect(wsEvent(conn));
    expect(await rows(userTopic(userId))).toEqual([]);
  });

  it('only public queue topics can be subscribed to by message', async () => {
    const conn = `c-${randomUUID()}`;
    await message(wsEvent(conn, { body: JSON.stringify({ action: 'subscribe', topic: 'role:dispatcher' }) }));
    await message(wsEvent(conn, { body: JSON.stringify({ action: 'subscribe', topic: 'queue:s-1' }) }));
    await message(wsEvent(conn, { body: 'not json' }));
    expect((await rows('role:dispatcher')).map((r) => r.connectionId)).not.toContain(conn);
    expect((await rows('queue:s-1')).map((r) => r.connectionId)).toContain(conn);
  });

  it('a gone connection is removed and the push still reaches the others', async () => {
    const topic = userTopic(`u_${randomUUID()}`);
    const live = `c-${randomUUID()}`;
    await registerConnection(`gone-${randomUUID()}`, [topic]);
    await registerConnection(live, [topic]);
    expect(await publish([topic], { type: 'x' })).toBe(1);
    expect((await rows(topic)).map((r) => r.connectionId)).toEqual([live]);
  });

  it('a push with the endpoint down never throws', async () => {
    const saved = process.env.WEBSOCKET_ENDPOINT;
    const topic = userTopic(`u_${randomUUID()}`);
    const conn = `c-${randomUUID()}`;
    await registerConnection(conn, [topic]);
    process.env.WEBSOCKET_ENDPOINT = 'http://127.0.0.1:1';
    try {
      await expect(publish([topic], { type: 'x' })).resolves.toBe(0);
      // Not gone, only unreachable: the subscription stays for the next push.
      expect((await rows(topic)).map((r) => r.connectionId)).toEqual([conn]);
    } finally {
      process.env.WEBSOCKET_ENDPOINT = saved;
    }
  });

  it('logout closes the sockets its session opened, and the same token cannot open another', async () => {
    const userId = `demo-ws-${randomUUID().slice(0, 8)}`;
    await putUser({ userId, name: '推送测试', roles: ['patient'], demo: true, createdAt: new Date().toISOString() });
    const login = () => call(auth, api.auth.login, { body: { provider: 'dev', code: userId } });
    const [phone, laptop] = [await login(), await login()];
    const [onPhone, onLaptop] = [`c-${randomUUID()}`, `c-${randomUUID()}`];
    expect((await connect(wsEvent(onPhone, { queryStringParameters: { token: phone.body.accessToken } }))).statusCode).toBe(200);
    expect((await connect(wsEvent(onLaptop, { queryStringParameters: { token: laptop.body.accessToken } }))).statusCode).toBe(200);

    expect((await call(auth, api.auth.logout, { body: { refreshToken: phone.body.refreshToken } })).status).toBe(200);
    expect(closed).toContain(onPhone);
    expect(closed).not.toContain(onLaptop);
    expect((await rows(userTopic(userId))).map((r) => r.connectionId)).toEqual([onLaptop]);
    expect((await connect(wsEvent(`c-${randomUUID()}`, { queryStringParameters: { token: phone.body.accessToken } }))).statusCode).toBe(401);

    // 退出所有设备 from the laptop closes the laptop's socket too.
    expect((await call(auth, api.auth.logoutEverywhere, { token: laptop.body.accessToken, body: {} })).status).toBe(200);
    expect(closed).toContain(onLaptop);
    expect(await rows(userTopic(userId))).toEqual([]);
  });
});
