import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { JPEG, PNG, WEBP } from '#test/images';
import { sniffImage } from './sniff';

/** A PNG chunk with its CRC, to build files the way an attacker would. */
const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>');

describe('an upload is what its bytes are', () => {
  it('a PNG, a JPEG and a WebP are recognised by content', () => {
    expect(sniffImage(PNG)).toBe('image/png');
    expect(sniffImage(JPEG)).toBe('image/jpeg');
    expect(sniffImage(WEBP)).toBe('image/webp');
  });

  it('HTML behind a PNG signature is not an image', () => {
    expect(sniffImage(Buffer.concat([PNG.subarray(0, 8), HTML]))).toBeUndefined();
    // After a complete PNG, or inside a well-formed text chunk of one.
    expect(sniffImage(Buffer.concat([PNG, HTML]))).toBeUndefined();
    const iend = PNG.length - 12;
    expect(sniffImage(Buffer.concat([PNG.subarray(0, iend), chunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), HTML])), PNG.subarray(iend)]))).toBeUndefined();
  });

  it('HTML behind a JPEG or WebP header is not an image either', () => {
    expect(sniffImage(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), HTML]))).toBeUndefined();
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, HTML.length + 2]), HTML]);
    expect(sniffImage(Buffer.concat([JPEG.subarray(0, 2), comment, JPEG.subarray(2)]))).toBeUndefined();
    expect(sniffImage(Buffer.concat([WEBP.subarray(0, 12), HTML]))).toBeUndefined();
  });

  it('a truncated file, a broken checksum or bytes after the end are refused', () => {
    expect(sniffImage(PNG.subarray(0, PNG.length - 1))).toBeUndefined();
    const bad = Buffer.from(PNG);
    bad[20] ^= 1; // inside IHDR: its CRC no longer matches
    expect(sniffImage(bad)).toBeUndefined();
    expect(sniffImage(JPEG.subarray(0, JPEG.length - 2))).toBeUndefined();
    expect(sniffImage(Buffer.concat([JPEG, Buffer.from('trailer')]))).toBeUndefined();
    expect(sniffImage(Buffer.concat([WEBP, Buffer.from([0, 0])]))).toBeUndefined();
  });

  it('text, an empty file and a GIF are not images of ours', () => {
    expect(sniffImage(Buffer.alloc(0))).toBeUndefined();
    expect(sniffImage(HTML)).toBeUndefined();
    expect(sniffImage(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))).toBeUndefined();
  });
});
