/**
 * Outpatient bills (门诊账单). The only code that knows these keys.
 *
 *   BILL#<billId> / BILL        the bill with its lines
 *       GSI1 BILLS#<personHash> / <status>#<issuedAt>#<billId>    a person's bills by status
 *
 * A bill from the hospital system has the id `bill-<source>-<billNo>`, so a re-sent bill finds
 * its first copy and is never issued twice.
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, type TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BillLine, BillStatus } from '@hospital/shared';
import { db, isConditionFailed, table } from '#lib/table';

export interface BillItem {
  billId: string;
  source: string;
  hisBillNo?: string;
  orgId: string;
  personHash: string;
  patientName: string;
  idMasked: string;
  deptName: string;
  doctorName?: string;
  issuedAt: string;
  items: BillLine[];
  total: number;
  status: BillStatus;
  paidAt?: string;
  orderNo?: string;
  createdAt: string;
  createdBy?: string;
}

type TxItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const billKey = (billId: string) => ({ PK: `BILL#${billId}`, SK: 'BILL' });
const personIndex = (b: Pick<BillItem, 'personHash' | 'status' | 'issuedAt' | 'billId'>) => ({
  GSI1PK: `BILLS#${b.personHash}`,
  GSI1SK: `${b.status}#${b.issuedAt}#${b.billId}`,
});
const strip = (i: Record<string, unknown>) => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, ...rest } = i;
  return rest as unknown as BillItem;
};

/** 'exists' when a bill with this id was issued before (nothing is changed). */
export async function putBill(b: BillItem): Promise<'created' | 'exists'> {
  try {
    await db.send(new PutCommand({ TableName: table(), Item: { ...billKey(b.billId), ...b, ...personIndex(b) }, ConditionExpression: 'attribute_not_exists(PK)' }));
    return 'created';
  } catch (e) {
    if (isConditionFailed(e)) return 'exists';
    throw e;
  }
}

export async function getBill(billId: string): Promise<BillItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: billKey(billId), ConsistentRead: true }));
  return out.Item ? strip(out.Item) : undefined;
}

/** Bills by id (at most 100), in the order asked; missing ones are left out. */
export async function getBills(ids: string[]): Promise<BillItem[]> {
  if (ids.length === 0) return [];
  const out = await db.send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: ids.map(billKey), ConsistentRead: true } } }));
  const found = new Map((out.Responses?.[table()] ?? []).map((i) => [i.billId as string, strip(i)]));
  return ids.flatMap((id) => (found.has(id) ? [found.get(id) as BillItem] : []));
}

export async function listForPerson(personHash: string, status?: BillStatus): Promise<BillItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'GSI1',
      KeyConditionExpression: status ? 'GSI1PK = :p AND begins_with(GSI1SK, :s)' : 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': `BILLS#${personHash}`, ...(status ? { ':s': `${status}#` } : {}) },
      ScanIndexForward: false,
      Limit: 200,
    }),
  );
  return (out.Items ?? []).map(strip);
}

/** unpaid → paid by this order, for the credit transaction (fails if any bill is no longer unpaid). */
export const payBillItem = (b: BillItem, orderNo: string, paidAt: string): TxItem => ({
  Update: {
    TableName: table(),
    Key: billKey(b.billId),
    UpdateExpression: 'SET #status = :paid, paidAt = :at, orderNo = :o, GSI1SK = :sk',
    ConditionExpression: '#status = :unpaid',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':paid': 'paid', ':unpaid': 'unpaid', ':at': paidAt, ':o': orderNo, ':sk': personIndex({ ...b, status: 'paid' }).GSI1SK },
  },
});
