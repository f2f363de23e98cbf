/**
 * Large payloads kept outside the table (a DynamoDB item holds at most 400 KB; a 12-lead ECG
 * does not fit): S3 in production (`BLOB_BUCKET`), a folder locally (`DATA_DIR`, default
 * `.data/blobs`). Keys are ours (`ecg/<kioskId>/<readingId>.json`), never user input.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { config } from '#lib/config';

export interface BlobStore {
  put(key: string, body: string, contentType: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
}

const SAFE_KEY = /^[\w-]+(\/[\w.-]+)+$/;
const check = (key: string) => {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error('invalid blob key');
};

export function folderStore(root: string): BlobStore {
  return {
    async put(key, body) {
      check(key);
      const path = resolve(root, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body, 'utf8');
    },
    async get(key) {
      check(key);
      try {
        return await readFile(resolve(root, key), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

export function s3Store(bucket: string): BlobStore {
  // Loaded on first use: the SDK client is only in bundles that store waveforms.
  const client = import('@aws-sdk/client-s3').then((m) => ({ m, c: new m.S3Client({}) }));
  return {
    async put(key, body, contentType) {
      check(key);
      const { m, c } = await client;
      await c.send(new m.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ServerSideEncryption: 'AES256' }));
    },
    async get(key) {
      check(key);
      const { m, c } = await client;
      try {
        const out = await c.send(new m.GetObjectCommand({ Bucket: bucket, Key: key }));
        return await out.Body?.transformToString('utf8');
      } catch (e) {
        if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
        throw e;
      }
    },
  };
}

let chosen: BlobStore | undefined;
export function blobs(): BlobStore {
  if (!chosen) {
    const bucket = process.env.BLOB_BUCKET;
    // In AWS the function's folder is read-only: a missing bucket is a deployment error.
    if (!bucket && !config.isLocal) throw new Error('BLOB_BUCKET is not configured');
    chosen = bucket ? s3Store(bucket) : folderStore(resolve(process.env.DATA_DIR ?? '.data', 'blobs'));
  }
  return chosen;
}
