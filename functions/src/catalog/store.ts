/** Organisations, departments and doctors. The only code that knows their keys. */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DepartmentView, DoctorView, OrgView } from '@hospital/shared';
import { db, table } from '#lib/table';

export type OrgItem = OrgView & { order: number };
export type DepartmentItem = DepartmentView & { order: number };
/** `userId`: the staff login of this doctor (their queue and sessions). */
export type DoctorItem = DoctorView & { order: number; userId?: string };

const pad = (n: number) => String(n).padStart(4, '0');
const orgKey = (id: string) => ({ PK: `ORG#${id}`, SK: 'PROFILE' });
const deptKey = (id: string) => ({ PK: `DEPT#${id}`, SK: 'PROFILE' });
const doctorKey = (id: string) => ({ PK: `DOCTOR#${id}`, SK: 'PROFILE' });

async function get<T>(Key: Record<string, string>): Promise<T | undefined> {
  return (await db.send(new GetCommand({ TableName: table(), Key }))).Item as T | undefined;
}

async function queryGsi1<T>(pk: string): Promise<T[]> {
  const items: T[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', ExpressionAttributeValues: { ':p': pk }, ExclusiveStartKey }),
    );
    items.push(...((out.Items ?? []) as T[]));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export const getOrg = (id: string) => get<OrgItem>(orgKey(id));
export const getDepartment = (id: string) => get<DepartmentItem>(deptKey(id));
export const getDoctor = (id: string) => get<DoctorItem>(doctorKey(id));

export const listOrgs = () => queryGsi1<OrgItem>('ORGS');
export const listDepartments = (orgId: string) => queryGsi1<DepartmentItem>(`ORG#${orgId}#DEPTS`);
export const listDoctors = (deptId: string) => queryGsi1<DoctorItem>(`DEPT#${deptId}#DOCTORS`);

/** The doctor a staff login is (GSI2 `STAFF#<userId>`). */
export async function doctorOfUser(userId: string): Promise<DoctorItem | undefined> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': `STAFF#${userId}` }, Limit: 1 }),
  );
  return out.Items?.[0] as DoctorItem | undefined;
}

// Writes: seed and (later) an admin console. Profiles only; they hold no live state.
export async function putOrg(o: OrgItem) {
  await db.send(new PutCommand({ TableName: table(), Item: { ...orgKey(o.id), ...o, GSI1PK: 'ORGS', GSI1SK: `${pad(o.order)}#${o.id}` } }));
}

export async function putDepartment(d: DepartmentItem) {
  await db.send(new PutCommand({ TableName: table(), Item: { ...deptKey(d.id), ...d, GSI1PK: `ORG#${d.orgId}#DEPTS`, GSI1SK: `${pad(d.order)}#${d.id}` } }));
}

export async function putDoctor(d: DoctorItem) {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...doctorKey(d.id),
        ...d,
        GSI1PK: `DEPT#${d.deptId}#DOCTORS`,
        GSI1SK: `${pad(d.order)}#${d.id}`,
        ...(d.userId ? { GSI2PK: `STAFF#${d.userId}`, GSI2SK: 'DOCTOR' } : {}),
      },
    }),
  );
}
