/**
 * Image bytes kept outside the table (an item holds 400 KB at most, and images do not belong in
 * it): S3 in production (`BLOB_BUCKET`, the stage's blob bucket), a folder under `DATA_DIR`
 * locally. The one small interface the images feature uses; keys are ours, never user input.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { config } from '#lib/config';

export interface MediaStore {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
}

const SAFE_KEY = /^care\/images\/[\w-]+$/;
const check = (key: string) => {
  if (!SAFE_KEY.test(key)) throw new Error('invalid media key');
};

export function folderMedia(root: string): MediaStore {
  return {
    async put(key, bytes) {
      check(key);
      const path = resolve(root, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    },
    async get(key) {
      check(key);
      try {
        return await readFile(resolve(root, key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

export function s3Media(bucket: string): MediaStore {
  // Loaded on first use: only the bundles that store images carry the S3 client.
  const client = import('@aws-sdk/client-s3').then((m) => ({ m, c: new m.S3Client({}) }));
  return {
    async put(key, bytes, contentType) {
      check(key);
      const { m, c } = await client;
      await c.send(new m.PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType, ServerSideEncryption: 'AES256' }));
    },
    async get(key) {
      check(key);
      const { m, c } = await client;
      try {
        const out = await c.send(new m.GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : undefined;
      } catch (e) {
        if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
        throw e;
      }
    },
  };
}

let chosen: { root: string; store: MediaStore } | undefined;
export function media(): MediaStore {
  const bucket = process.env.BLOB_BUCKET;
  // In AWS the function's folder is read-only: a missing bucket is a deployment error.
  if (!bucket && !config.isLocal) throw new Error('BLOB_BUCKET is not configured');
  const root = bucket ? `s3:${bucket}` : resolve(process.env.DATA_DIR ?? resolve(tmpdir(), 'internet-hospital'), 'blobs');
  if (chosen?.root !== root) chosen = { root, store: bucket ? s3Media(bucket) : folderMedia(root) };
  return chosen.store;
}
