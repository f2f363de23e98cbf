/**
 * Printed QR codes. The only code that knows these keys.
 *
 *   QR#<code> / QR     target + names for the landing page; GSI1 QRS / <orgId>#<code>
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { QrTarget, OrgKind } from '@hospital/shared';
import { conditionally, db, table } from '#lib/table';

export interface QrItem {
  code: string;
  label: string;
  target: QrTarget;
  org: { id: string; name: string; kind: OrgKind };
  department?: { id: string; name: string };
  doctor?: { id: string; name: string; title: string };
  createdBy: string;
  createdAt: string;
}

const key = (code: string) => ({ PK: `QR#${code}`, SK: 'QR' });
const strip = (i: Record<string, unknown>) => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, ...rest } = i;
  return rest as unknown as QrItem;
};

export async function getQr(code: string): Promise<QrItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: key(code) }));
  return out.Item ? strip(out.Item) : undefined;
}

/** false when the code is taken. `overwrite` (seed only) replaces a code's definition. */
export async function putQr(q: QrItem, overwrite = false): Promise<boolean> {
  return conditionally(db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...key(q.code), ...q, GSI1PK: 'QRS', GSI1SK: `${q.org.id}#${q.code}` },
      ...(overwrite ? {} : { ConditionExpression: 'attribute_not_exists(PK)' }),
    }),
  ));
}

export async function listQr(orgId?: string): Promise<QrItem[]> {
  const items: QrItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: orgId ? 'GSI1PK = :p AND begins_with(GSI1SK, :o)' : 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': 'QRS', ...(orgId ? { ':o': `${orgId}#` } : {}) },
        ExclusiveStartKey,
      }),
    );
    items.push(...(out.Items ?? []).map(strip));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
