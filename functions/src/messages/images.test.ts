/** Uploads are sniffed by content; served images say what they are and are never sniffed again. */
import { describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { JPEG, PNG, WEBP } from '#test/images';
import { handler } from './handler';

const upload = (token: string, contentType: string, bytes: Buffer) =>
  call(handler, api.messages.uploadImage, { token, rawBody: JSON.stringify({ contentType, dataBase64: bytes.toString('base64') }) });
const resident = () => tokenFor(['patient']);

describe('image uploads (留言图片, 服药照片)', () => {
  it.each([
    ['image/png', PNG],
    ['image/jpeg', JPEG],
    ['image/webp', WEBP],
  ] as const)('a real %s is stored and served as that type, with nosniff', async (type, bytes) => {
    const up = await upload(await resident(), type, bytes);
    expect(up.status, up.text).toBe(201);
    const url = new URL(up.body.url, 'http://x');
    const served = await call(handler, api.messages.image, { params: { imageId: up.body.id }, query: Object.fromEntries(url.searchParams) });
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe(type);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toContain("default-src 'none'");
    expect(Buffer.from(served.text, 'base64').equals(bytes)).toBe(true);
  });

  it('HTML behind a PNG header is refused, naming the image', async () => {
    const polyglot = Buffer.concat([PNG.subarray(0, 8), Buffer.from('<html><body><script>alert(1)</script></body></html>')]);
    const r = await upload(await resident(), 'image/png', polyglot);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.fields[0].path).toBe('body.dataBase64');
    // Behind a complete PNG too.
    expect((await upload(await resident(), 'image/png', Buffer.concat([PNG, Buffer.from('<script>x</script>')]))).status).toBe(400);
  });

  it('a real image declared as another type is refused', async () => {
    const token = await resident();
    for (const [declared, bytes] of [['image/jpeg', PNG], ['image/png', WEBP], ['image/webp', JPEG]] as const) {
      const r = await upload(token, declared, bytes);
      expect(r.status).toBe(400);
      expect(r.body.error.fields[0].path).toBe('body.dataBase64');
    }
  });

  it('a body that is JSON but not an object is a 400 naming body', async () => {
    const token = await resident();
    for (const raw of ['false', '0', 'null', '[]', '"x"']) {
      const r = await call(handler, api.messages.uploadImage, { token, rawBody: raw });
      expect(r.status, raw).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.fields[0].path).toBe('body');
    }
  });
});
