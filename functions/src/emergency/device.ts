/**
 * The device secret an SOS caller's app keeps (shared `DeviceSecret`): the press carries it in
 * its body, every later read or change in `X-Device-Secret`. The server keeps only this digest,
 * on the request and in the capability token, and compares in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const deviceTag = (secret: string) => createHash('sha256').update(`sos-device\n${secret}`).digest('hex').slice(0, 32);

/** Whether `secret` is the device whose digest is `tag` (false when either is missing). */
export function isDevice(secret: string | undefined, tag: string | undefined): boolean {
  if (!secret || !tag) return false;
  const a = Buffer.from(deviceTag(secret));
  const b = Buffer.from(tag);
  return a.length === b.length && timingSafeEqual(a, b);
}
