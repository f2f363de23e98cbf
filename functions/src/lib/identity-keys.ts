/**
 * Keys for identity data (实名认证, PIPL):
 * - the person key: HMAC-SHA256 of the ID number under a secret, so nobody holding the table (or a
 *   key in a log) can recompute it from a guessed number, as they could a bare hash;
 * - field encryption: ID numbers and phones are AES-256-GCM encrypted in the item, under a data
 *   key that KMS wraps in AWS (envelope encryption: one KMS Decrypt per container, not per field).
 *
 * Where the keys come from: the environment when set (tests: PERSON_KEY_SECRET, FIELD_DATA_KEY as
 * base64 of 32 bytes); locally key files under DATA_DIR/identity-keys (created on first use, mode 0600);
 * in AWS `loadIdentityKeys()` (called by the http stack and job wrappers at cold start) reads SSM
 * `<prefix>/identity/person-key` and the KMS-wrapped data key `<prefix>/identity/field-data-key`.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from './config';

interface Keys {
  personKey: Buffer;
  fieldKey: Buffer;
}

let keys: Keys | undefined;
let loading: Promise<void> | undefined;

function fromEnv(): Keys | undefined {
  const p = process.env.PERSON_KEY_SECRET;
  const f = process.env.FIELD_DATA_KEY;
  if (!p || !f) return undefined;
  return { personKey: Buffer.from(p, 'utf8'), fieldKey: dataKey(Buffer.from(f, 'base64')) };
}

function dataKey(b: Buffer): Buffer {
  if (b.length !== 32) throw new Error('FIELD_DATA_KEY must be 32 bytes (base64)');
  return b;
}

/** Local stage: one key file each, made once, so a restart can still read old items. */
function fromLocalFiles(): Keys {
  const dir = join(process.env.DATA_DIR ?? '.data', 'identity-keys');
  const file = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  };
  return { personKey: file('person-key'), fieldKey: dataKey(file('field-data-key')) };
}

function current(): Keys {
  keys ??= fromEnv() ?? (config.isLocal ? fromLocalFiles() : undefined);
  if (!keys) throw new Error('identity keys are not loaded (loadIdentityKeys at cold start)');
  return keys;
}

/** AWS: the person-key secret from SSM and the data key unwrapped by KMS, once per container. */
export function loadIdentityKeys(): Promise<void> {
  if (keys || fromEnv() || config.isLocal) return Promise.resolve();
  loading ??= (async () => {
    const { getParameters } = await import('@aws-lambda-powertools/parameters/ssm');
    const found = (await getParameters(`${config.secretsPrefix}/identity`, { decrypt: true, maxAge: 300 })) ?? {};
    const byName = Object.fromEntries(Object.entries(found).map(([k, v]) => [k.split('/').pop()!, String(v)]));
    if (!byName['person-key'] || !byName['field-data-key']) throw new Error('identity keys missing in SSM');
    const { KMSClient, DecryptCommand } = await import('@aws-sdk/client-kms');
    const out = await new KMSClient({}).send(new DecryptCommand({ CiphertextBlob: Buffer.from(byName['field-data-key'], 'base64') }));
    keys = { personKey: Buffer.from(byName['person-key'], 'utf8'), fieldKey: dataKey(Buffer.from(out.Plaintext!)) };
  })().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** One key per person across accounts and features: HMAC of the upper-cased ID number. */
export const personKeyOf = (idNumber: string) => createHmac('sha256', current().personKey).update(`person:${idNumber.toUpperCase()}`).digest('hex');

/** A keyed digest for other identifiers used in keys (phones in rate-limit buckets). */
export const keyedDigest = (kind: string, value: string) => createHmac('sha256', current().personKey).update(`${kind}:${value}`).digest('hex').slice(0, 40);

const VERSION = 'v1';

/** `v1.<iv>.<tag>.<ciphertext>` (base64url); `context` (e.g. the item id) is bound as AAD. */
export function encryptField(value: string, context: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', current().fieldKey, iv);
  c.setAAD(Buffer.from(context));
  const ct = Buffer.concat([c.update(value, 'utf8'), c.final()]);
  return [VERSION, iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decryptField(sealed: string, context: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== VERSION || !iv || !tag || ct === undefined) throw new Error('not an encrypted field');
  const d = createDecipheriv('aes-256-gcm', current().fieldKey, Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(context));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
}
