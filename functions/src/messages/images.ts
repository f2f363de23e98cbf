/**
 * Images of care messages and dose photos. The bytes go to the media store; the table keeps
 * who uploaded what. They are shown through short-lived signed links (an <Image> cannot send an
 * Authorization header), checked by HMAC and expiry.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { fieldErrors, ImageUpload, type ImageRef } from '@hospital/shared';
import { secret } from '#lib/config';
import { HttpError, notFound } from '#lib/errors';
import { RawReply } from '#lib/http/index';
import type { Principal } from '#lib/tokens';
import { db, table } from '#lib/table';
import { sniffImage, SNIFFED_IMAGE_TYPES } from '#lib/sniff';
import { media } from './media-store';

/** Links last an hour: long enough to read a thread, short enough not to be shared around. */
export const IMAGE_LINK_SECONDS = 3600;
const MAX_BYTES = 1_500_000;
const MAX_RAW_BODY = 2_100_000;

export interface ImageItem {
  imageId: string;
  ownerId: string;
  contentType: string;
  size: number;
  key: string;
  createdAt: string;
}

const imageKey = (id: string) => ({ PK: `CARE#IMAGE#${id}`, SK: 'IMAGE' });

export async function getImage(imageId: string): Promise<ImageItem | undefined> {
  if (!/^[\w-]{1,80}$/.test(imageId)) return undefined;
  const out = await db.send(new GetCommand({ TableName: table(), Key: imageKey(imageId), ConsistentRead: true }));
  return out.Item as ImageItem | undefined;
}

/** The caller's own upload, or a 400 naming the field (someone else's image is never attached). */
export async function requireOwnImage(ownerId: string, imageId: string, field: string): Promise<ImageItem> {
  const img = await getImage(imageId);
  if (!img || img.ownerId !== ownerId) throw new HttpError(400, 'VALIDATION_FAILED', '图片不存在，请重新上传', [{ path: field, message: '图片不存在，请重新上传' }]);
  return img;
}

/** The route takes its body raw (images exceed the shared JSON limit): parse and validate here. */
export async function upload(principal: Principal, rawBody: string): Promise<ImageRef> {
  if (rawBody.length > MAX_RAW_BODY) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', '图片过大，请压缩后重试');
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', '请求内容不是有效的 JSON', [{ path: 'body', message: 'malformed JSON' }]);
  }
  const parsed = ImageUpload.safeParse(json);
  if (!parsed.success) throw new HttpError(400, 'VALIDATION_FAILED', '请求参数有误', fieldErrors(parsed.error.issues, 'body'));
  const bytes = Buffer.from(parsed.data.dataBase64, 'base64');
  if (bytes.length > MAX_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', '图片过大，请压缩后重试');
  // By content, never by the declared type: a well-formed image of the type it claims, or nothing.
  const sniffed = sniffImage(bytes);
  if (!sniffed) throw new HttpError(400, 'VALIDATION_FAILED', '图片内容无效，请重新选择 JPG、PNG 或 WebP 图片', [{ path: 'body.dataBase64', message: '不是有效的 JPG、PNG 或 WebP 图片' }]);
  if (sniffed !== parsed.data.contentType) {
    throw new HttpError(400, 'VALIDATION_FAILED', '图片内容与格式不符', [{ path: 'body.dataBase64', message: `图片内容是 ${sniffed}，与声明的格式不符` }]);
  }
  const imageId = `img-${randomUUID()}`;
  const item: ImageItem = { imageId, ownerId: principal.userId, contentType: sniffed, size: bytes.length, key: `care/images/${imageId}`, createdAt: new Date().toISOString() };
  // Bytes first: an item never points at nothing (a failed item write leaves an unreferenced object).
  await media().put(item.key, bytes, item.contentType);
  await db.send(new PutCommand({ TableName: table(), Item: { ...imageKey(imageId), ...item } }));
  return imageRef(imageId);
}

async function signature(imageId: string, exp: string): Promise<string> {
  const key = await secret('JWT_SECRET', 'jwt-secret');
  return createHmac('sha256', `care-image:${key}`).update(`${imageId}.${exp}`).digest('base64url');
}

/** A path under the API base: `/v1/care/images/<id>?exp=…&sig=…`. */
export async function imageUrl(imageId: string, now = Date.now()): Promise<string> {
  return (await imageRef(imageId, now)).url;
}

export async function imageRef(imageId: string, now = Date.now()): Promise<ImageRef> {
  const exp = String(Math.floor(now / 1000) + IMAGE_LINK_SECONDS);
  const sig = await signature(imageId, exp);
  return { id: imageId, url: `/v1/care/images/${encodeURIComponent(imageId)}?exp=${exp}&sig=${sig}`, expiresAt: new Date(Number(exp) * 1000).toISOString() };
}

export async function serve(imageId: string, q: { exp: string; sig: string }, now = Date.now()): Promise<RawReply> {
  const expected = Buffer.from(await signature(imageId, q.exp));
  const given = Buffer.from(q.sig);
  const valid = expected.length === given.length && timingSafeEqual(expected, given);
  if (!valid || Number(q.exp) * 1000 < now) throw new HttpError(403, 'FORBIDDEN', '图片链接已失效，请刷新页面');
  const img = await getImage(imageId);
  const bytes = img && (await media().get(img.key));
  if (!img || !bytes) throw notFound('图片不存在');
  // The stored type is the sniffed one; never sniffed again by the browser, never run as a page.
  const type = (SNIFFED_IMAGE_TYPES as readonly string[]).includes(img.contentType) ? img.contentType : 'application/octet-stream';
  return new RawReply(
    200,
    bytes.toString('base64'),
    { 'content-type': type, 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; sandbox", 'content-disposition': 'inline', 'cache-control': 'private, max-age=3600' },
    true,
  );
}
