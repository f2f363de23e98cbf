/**
 * What an uploaded file really is, by its content — never by the type the client declares. A PNG
 * is a PNG from its signature to its IEND chunk (every chunk's CRC right, nothing after it), a JPEG
 * has its segments up to the scan and ends with EOI, a WebP is a RIFF container whose chunks add up
 * to its size. A file that also carries markup a browser would run (HTML, SVG script) is no image
 * of ours, whatever its header: the classic polyglot is HTML behind a PNG signature.
 *
 * Phones re-encode photos before upload (the mini-program compresses them), so trailers some
 * cameras append after a JPEG's EOI (motion photos) are refused rather than stored.
 */
import { crc32 } from 'node:zlib';

export const SNIFFED_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type SniffedImageType = (typeof SNIFFED_IMAGE_TYPES)[number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isPng(b: Buffer): boolean {
  if (b.length < 8 + 25 + 12 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  let off = 8;
  let first = true;
  let sawData = false;
  while (off + 12 <= b.length) {
    const len = b.readUInt32BE(off);
    const type = b.subarray(off + 4, off + 8).toString('latin1');
    if (len > 0x7fffffff || off + 12 + len > b.length || !/^[A-Za-z]{4}$/.test(type)) return false;
    if (first && (type !== 'IHDR' || len !== 13 || b.readUInt32BE(off + 8) === 0 || b.readUInt32BE(off + 12) === 0)) return false;
    if (crc32(b.subarray(off + 4, off + 8 + len)) !== b.readUInt32BE(off + 8 + len)) return false;
    if (type === 'IDAT') sawData = true;
    first = false;
    off += 12 + len;
    if (type === 'IEND') return sawData && off === b.length;
  }
  return false;
}

function isJpeg(b: Buffer): boolean {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return false;
  let off = 2;
  let frame = false;
  for (;;) {
    if (off + 4 > b.length || b[off] !== 0xff) return false;
    while (b[off + 1] === 0xff && off + 2 < b.length) off++; // fill bytes
    const marker = b[off + 1];
    if (marker === 0xd8 || marker === 0xd9 || marker === 0x00) return false;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      off += 2;
      continue;
    }
    const len = b.readUInt16BE(off + 2);
    if (len < 2 || off + 2 + len > b.length) return false;
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC): the frame header.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) frame = true;
    off += 2 + len;
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
  }
  let end = b.length;
  while (end > off && b[end - 1] === 0x00) end--; // zero padding some encoders leave
  return frame && end - off >= 2 && b[end - 2] === 0xff && b[end - 1] === 0xd9;
}

function isWebp(b: Buffer): boolean {
  if (b.length < 20 || b.subarray(0, 4).toString('latin1') !== 'RIFF' || b.subarray(8, 12).toString('latin1') !== 'WEBP') return false;
  const end = 8 + b.readUInt32LE(4);
  if (end !== b.length) return false;
  if (!['VP8 ', 'VP8L', 'VP8X'].includes(b.subarray(12, 16).toString('latin1'))) return false;
  let off = 12;
  while (off + 8 <= end) {
    const size = b.readUInt32LE(off + 4);
    if (!/^[\x20-\x7e]{4}$/.test(b.subarray(off, off + 4).toString('latin1'))) return false;
    off += 8 + size + (size & 1);
  }
  return off === end;
}

/**
 * Markup a browser would act on. Long enough that compressed image data does not contain one by
 * chance (a 5-byte marker, case folded, turns up once in ~70 GB of random bytes).
 */
const MARKUP = ['<script', '<html', '<!doctype', '<iframe', '<object', '<embed', '<body', '<svg ', '<svg/', '<svg>', 'onload=', 'onerror=', 'javascript:', '<?xml-stylesheet'];

export function carriesMarkup(b: Buffer): boolean {
  const text = b.toString('latin1').toLowerCase();
  return MARKUP.some((m) => text.includes(m));
}

/** The image type of the bytes, or undefined when they are not a well-formed PNG, JPEG or WebP (or carry markup). */
export function sniffImage(b: Buffer): SniffedImageType | undefined {
  const type = isPng(b) ? 'image/png' : isJpeg(b) ? 'image/jpeg' : isWebp(b) ? 'image/webp' : undefined;
  return type && !carriesMarkup(b) ? type : undefined;
}
