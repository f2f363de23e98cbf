import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { registerConnection, userTopic } from '#lib/realtime';
import { call } from '#test/http';
import { handler } from './handler';
import { contracted, key, makeCare, outsider, resident, sign } from '../care/test-fixtures';

// A management endpoint like the gateway's, to see what is pushed live.
const received: Record<string, string[]> = {};
const server = createServer((req, res) => {
  const id = decodeURIComponent(req.url!.split('/@connections/')[1] ?? '');
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    (received[id] ??= []).push(body);
    res.writeHead(200).end();
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  process.env.WEBSOCKET_ENDPOINT = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The smallest valid PNG (1×1). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const post = (token: string, contractId: string, body: object) =>
  call(handler, api.messages.post, { token, params: { contractId }, body, headers: { 'idempotency-key': key() } });
const staffPost = (token: string, contractId: string, body: object) =>
  call(handler, api.messages.staffPost, { token, params: { contractId }, body, headers: { 'idempotency-key': key() } });
const upload = (token: string, contentType: string, bytes: Buffer) =>
  call(handler, api.messages.uploadImage, { token, rawBody: JSON.stringify({ contentType, dataBase64: bytes.toString('base64') }) });

describe('care-team messaging', () => {
  it('the resident writes, the team sees the thread with an unread count, answers, and both sides mark read', async () => {
    const care = await makeCare();
    const r = await contracted(care, '张建国');
    expect((await post(r.token, r.contractId, { text: '孙医生您好，最近血压有点高' })).status).toBe(201);
    expect((await post(r.token, r.contractId, { text: '早上 150/95' })).status).toBe(201);

    const inbox = await call(handler, api.messages.staffThreads, { token: care.nurse.token });
    const t = inbox.body.items.find((x: { contractId: string }) => x.contractId === r.contractId);
    expect(t).toMatchObject({ unread: 2, patient: { name: '张建国' }, last: { from: 'resident', preview: '早上 150/95' } });

    const thread = await call(handler, api.messages.staffThread, { token: care.doctor.token, params: { contractId: r.contractId }, query: {} });
    expect(thread.body.items.map((m: { text: string }) => m.text)).toEqual(['早上 150/95', '孙医生您好，最近血压有点高']);
    expect((await call(handler, api.messages.staffRead, { token: care.doctor.token, params: { contractId: r.contractId } })).body.unread).toBe(0);

    const reply = await staffPost(care.doctor.token, r.contractId, { text: '请明天上午来中心复查' });
    expect(reply.body).toMatchObject({ from: 'team', senderName: '孙慧' });
    const mine = await call(handler, api.messages.myThreads, { token: r.token });
    expect(mine.body.unread).toBe(1);
    expect((await call(handler, api.messages.read, { token: r.token, params: { contractId: r.contractId } })).body.unread).toBe(0);
    expect((await call(handler, api.messages.myThreads, { token: r.token })).body.unread).toBe(0);
  });

  it('a thread is scoped to its contract: other residents, other teams and other contracts never see it', async () => {
    const care = await makeCare();
    const a = await contracted(care, '居民甲');
    const b = await contracted(care, '居民乙');
    await post(a.token, a.contractId, { text: '甲的留言' });

    expect((await call(handler, api.messages.thread, { token: b.token, params: { contractId: a.contractId }, query: {} })).status).toBe(404);
    expect((await post(b.token, a.contractId, { text: '冒充' })).status).toBe(404);
    const bThread = await call(handler, api.messages.thread, { token: b.token, params: { contractId: b.contractId }, query: {} });
    expect(bThread.body.items).toEqual([]);

    const stranger = await outsider();
    expect((await call(handler, api.messages.staffThread, { token: stranger.token, params: { contractId: a.contractId }, query: {} })).status).toBe(404);
    expect((await staffPost(stranger.token, a.contractId, { text: '外人' })).status).toBe(404);
    expect((await call(handler, api.messages.staffThreads, { token: stranger.token })).body.items).toEqual([]);
  });

  it('only an active contract takes new messages', async () => {
    const care = await makeCare();
    const r = await resident();
    const s = await sign(care, r.token, r.patientId);
    const p = await post(r.token, s.body.id, { text: '你好' });
    expect(p.status).toBe(409);
    expect(p.body.error.code).toBe('CONTRACT_NOT_ACTIVE');
    const empty = await post(r.token, s.body.id, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].path).toBe('body.text');
  });

  it('an image is stored outside the table and shown through a signed link that cannot be forged or reused late', async () => {
    const care = await makeCare();
    const r = await contracted(care);
    const up = await upload(r.token, 'image/png', PNG);
    expect(up.status).toBe(201);
    const m = await post(r.token, r.contractId, { imageId: up.body.id });
    expect(m.status).toBe(201);
    const url = new URL(m.body.imageUrl, 'http://api');
    expect(url.pathname).toBe(`/v1/care/images/${up.body.id}`);
    const query = Object.fromEntries(url.searchParams) as { exp: string; sig: string };

    const img = await call(handler, api.messages.image, { params: { imageId: up.body.id }, query });
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(Buffer.from(img.text, 'base64').equals(PNG)).toBe(true);

    const forged = await call(handler, api.messages.image, { params: { imageId: up.body.id }, query: { ...query, sig: `${query.sig.slice(0, -2)}AA` } });
    expect(forged.status).toBe(403);
    const otherImage = await call(handler, api.messages.image, { params: { imageId: 'img-someone-else' }, query });
    expect(otherImage.status).toBe(403);
    const late = await call(handler, api.messages.image, { params: { imageId: up.body.id }, query: { ...query, exp: '1000' } });
    expect(late.status).toBe(403);

    // Someone else's upload cannot be attached.
    const other = await contracted(care, '居民乙');
    const theirs = await post(other.token, other.contractId, { imageId: up.body.id });
    expect(theirs.status).toBe(400);
    expect(theirs.body.error.fields[0].path).toBe('body.imageId');
  });

  it('an upload that is not the image it claims, or is not JSON, is refused naming the problem', async () => {
    const r = await resident();
    const fake = await upload(r.token, 'image/jpeg', PNG);
    expect(fake.status).toBe(400);
    expect(fake.body.error.fields[0].path).toBe('body.dataBase64');
    const wrongType = await upload(r.token, 'image/gif', PNG);
    expect(wrongType.body.error.fields[0].path).toBe('body.contentType');
    const notJson = await call(handler, api.messages.uploadImage, { token: r.token, rawBody: '{oops' });
    expect(notJson.status).toBe(400);
  });

  it('a new message reaches the other side live over the WebSocket', async () => {
    const care = await makeCare();
    const r = await contracted(care);
    const conn = `c-${randomUUID()}`;
    await registerConnection(conn, [userTopic(r.userId)]);
    const reply = await staffPost(care.doctor.token, r.contractId, { text: '记得按时服药' });
    const pushed = (received[conn] ?? []).map((b) => JSON.parse(b));
    expect(pushed).toEqual([{ type: 'care.message', data: { contractId: r.contractId, messageId: reply.body.id, from: 'team' } }]);
  });
});
