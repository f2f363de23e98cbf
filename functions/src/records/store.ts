/** Health records, access grants and the access trail of one person. The only code that knows these keys. */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessPurpose, AccessScope, SelfReportedRecord } from '@hospital/shared';
import { conditionally, db, table } from '#lib/table';

const pk = (patientId: string) => `PATIENT#${patientId}`;

// ── record ──
export interface VerifiedItem {
  id: string;
  kind: 'allergy' | 'condition' | 'medication' | 'bloodType';
  value: string;
  detail?: string;
  verifiedBy: string;
  verifiedByName: string;
  verifiedAt: string;
}
export interface RecordItem {
  patientId: string;
  self: SelfReportedRecord;
  verified: VerifiedItem[];
  updatedAt?: string;
}

export async function getRecord(patientId: string): Promise<RecordItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: { PK: pk(patientId), SK: 'RECORD' } }));
  return out.Item as RecordItem | undefined;
}

export async function putSelfReported(patientId: string, self: SelfReportedRecord) {
  const now = new Date().toISOString();
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: { PK: pk(patientId), SK: 'RECORD' },
      UpdateExpression: 'SET #self = :s, patientId = :p, updatedAt = :now, verified = if_not_exists(verified, :empty)',
      ExpressionAttributeNames: { '#self': 'self' },
      ExpressionAttributeValues: { ':s': self, ':p': patientId, ':now': now, ':empty': [] },
    }),
  );
}

export async function appendVerified(patientId: string, entry: VerifiedItem) {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: { PK: pk(patientId), SK: 'RECORD' },
      UpdateExpression: 'SET verified = list_append(if_not_exists(verified, :empty), :e), patientId = :p, updatedAt = :now, #self = if_not_exists(#self, :blank)',
      ExpressionAttributeNames: { '#self': 'self' },
      ExpressionAttributeValues: { ':e': [entry], ':empty': [], ':p': patientId, ':now': entry.verifiedAt, ':blank': {} },
    }),
  );
}

// ── grants: consent, an active visit or an emergency, all one shape ──
/** `user:<id>`, `org:<id>` or `role:<role>`. */
export type Grantee = `user:${string}` | `org:${string}` | `role:${string}`;
export interface GrantItem {
  grantId: string;
  patientId: string;
  grantee: Grantee;
  granteeName?: string;
  scopes: AccessScope[];
  purpose: AccessPurpose;
  validFrom: string;
  validUntil: string;
  source: 'consent' | 'visit' | 'emergency';
  sourceId?: string;
  grantedBy: string;
  revokedAt?: string;
}

export async function putGrant(g: Omit<GrantItem, 'grantId'> & { grantId?: string }): Promise<GrantItem> {
  const item: GrantItem = { ...g, grantId: g.grantId ?? `g_${randomUUID()}` };
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: {
        PK: pk(item.patientId),
        SK: `GRANT#${item.grantId}`,
        ...item,
        GSI1PK: `GRANT#${item.grantId}`,
        GSI1SK: 'GRANT',
        // Who was granted: a doctor's list of people who shared with them (`listGrantsTo`).
        GSI2PK: `GRANTEE#${item.grantee}`,
        GSI2SK: `${item.validUntil}#${item.grantId}`,
      },
    }),
  );
  return item;
}

export async function listGrants(patientId: string): Promise<GrantItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :g)',
      ExpressionAttributeValues: { ':p': pk(patientId), ':g': 'GRANT#' },
    }),
  );
  return (out.Items ?? []) as GrantItem[];
}

/** Grants naming this grantee that have not expired yet (revoked ones included: the caller filters). */
export async function listGrantsTo(grantee: Grantee, now = new Date().toISOString()): Promise<GrantItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :g AND GSI2SK > :now',
      ExpressionAttributeValues: { ':g': `GRANTEE#${grantee}`, ':now': now },
      Limit: 200,
    }),
  );
  return (out.Items ?? []).map(({ PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...g }) => g as GrantItem);
}

export async function getGrant(grantId: string): Promise<GrantItem | undefined> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :k', ExpressionAttributeValues: { ':k': `GRANT#${grantId}` } }),
  );
  return out.Items?.[0] as GrantItem | undefined;
}

/** Revokes once; false when it was already revoked. */
export async function revokeGrant(patientId: string, grantId: string, at: string): Promise<boolean> {
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: { PK: pk(patientId), SK: `GRANT#${grantId}` },
      UpdateExpression: 'SET revokedAt = :at',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(revokedAt)',
      ExpressionAttributeValues: { ':at': at },
    }),
  ));
}

// ── audit: who looked, never what they saw ──
export interface AuditItem {
  patientId: string;
  at: string;
  actorId: string;
  actorName: string;
  actorRole: string;
  resource: string;
  purpose: string;
  outcome: 'allowed' | 'refused';
  basis?: string;
}

export async function putAudit(a: AuditItem) {
  const id = randomUUID();
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { PK: pk(a.patientId), SK: `AUDIT#${a.at}#${id}`, ...a, GSI1PK: `AUDIT_ACTOR#${a.actorId}`, GSI1SK: `${a.at}#${id}` },
    }),
  );
}

// ── the platform's own trail: every request made as platform_admin (no person, no organisation) ──
export interface PlatformAuditItem {
  at: string;
  actorId: string;
  actorName: string;
  /** The route, e.g. `identity.staffFlags`. */
  action: string;
  /** What it named (an id), never data. */
  target?: string;
}

export async function putPlatformAudit(a: PlatformAuditItem) {
  await db.send(new PutCommand({ TableName: table(), Item: { PK: 'AUDIT#PLATFORM', SK: `${a.at}#${randomUUID()}`, ...a } }));
}

/** Newest first. */
export async function listPlatformAudit(limit = 100): Promise<PlatformAuditItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': 'AUDIT#PLATFORM' }, ScanIndexForward: false, Limit: limit }),
  );
  return (out.Items ?? []).map(({ PK: _p, SK: _s, ...a }) => a as PlatformAuditItem);
}

export async function listAudit(patientId: string, limit = 100): Promise<AuditItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :a)',
      ExpressionAttributeValues: { ':p': pk(patientId), ':a': 'AUDIT#' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []) as AuditItem[];
}
