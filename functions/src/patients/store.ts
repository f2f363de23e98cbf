/**
 * People on an account (就诊人). The only code that knows these keys.
 *
 *   PATIENT#<patientId> / PROFILE        the person: ID number and phone AES-GCM encrypted
 *       (idNumberEnc, phoneEnc; lib/identity-keys), `verification` on this account
 *       GSI1 ACCOUNT#<userId>#PATIENTS / <createdAt>#<patientId>
 *   ACCOUNT#<userId> / PATIENTS          { count }: at most MAX per account, as a condition
 *   ACCOUNT#<userId> / IDNO#<personKey>  one entry per ID number per account
 *   (profile) GSI2 PERSON#<personKey> / PATIENT#<patientId>   every account's entry for one
 *       ID number: lab reports arrive by ID number (reports feature, `findByPersonKey`)
 *
 * The person key is an HMAC of the ID number under a secret (lib/identity-keys), never a bare
 * hash. A person is read by id alone (GetItem), so every feature can check ownership in one call.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_PATIENTS_PER_ACCOUNT, type Relation, type Verification } from '@hospital/shared';
import { decryptField, encryptField, personKeyOf } from '#lib/identity-keys';
import { cancellationReasons, conditionally, db, isConditionFailed, isTransactionCancelled, table } from '#lib/table';
import { transactWrite } from '#lib/transact';

export interface PatientItem {
  patientId: string;
  userId: string;
  name: string;
  relation: Relation;
  phone: string;
  idNumber: string;
  sex: 'male' | 'female';
  birthDate: string;
  /** 爽约 rule: online booking is paused through this date (YYYY-MM-DD), set on every account's entry. */
  bookingPausedUntil?: string;
  /** 实名认证 on this account (absent in an item = unverified). */
  verification: Verification;
  createdAt: string;
  updatedAt: string;
}

const patientKey = (id: string) => ({ PK: `PATIENT#${id}`, SK: 'PROFILE' });
const counterKey = (userId: string) => ({ PK: `ACCOUNT#${userId}`, SK: 'PATIENTS' });
// Keyed so the number is not in a key (keys show up in metrics, traces and error messages).
const idNumberKey = (userId: string, idNumber: string) => ({ PK: `ACCOUNT#${userId}`, SK: `IDNO#${personKeyOf(idNumber)}` });

/** The item as stored: the clear ID number and phone replaced by their ciphertexts. */
function sealed(p: PatientItem) {
  const { idNumber, phone, ...rest } = p;
  return { ...rest, idNumberEnc: encryptField(idNumber, `patient:${p.patientId}:id`), phoneEnc: encryptField(phone, `patient:${p.patientId}:phone`) };
}

const strip = (i: Record<string, unknown>): PatientItem => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, idNumberEnc, phoneEnc, ...rest } = i;
  const id = String(rest.patientId);
  return {
    ...(rest as unknown as PatientItem),
    idNumber: decryptField(String(idNumberEnc), `patient:${id}:id`),
    phone: decryptField(String(phoneEnc), `patient:${id}:phone`),
    verification: (rest.verification as Verification | undefined) ?? { state: 'unverified' },
  };
};

export async function getPatient(patientId: string): Promise<PatientItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: patientKey(patientId), ConsistentRead: true }));
  return out.Item ? strip(out.Item) : undefined;
}

export async function listPatients(userId: string): Promise<PatientItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', ExpressionAttributeValues: { ':p': `ACCOUNT#${userId}#PATIENTS` } }),
  );
  return (out.Items ?? []).map(strip);
}

export type AddOutcome = 'added' | 'limit' | 'duplicate';

/** Adds the person, the account's count and the ID-number entry in one transaction. */
export async function addPatient(p: PatientItem): Promise<AddOutcome> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: table(),
            Key: counterKey(p.userId),
            UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': MAX_PATIENTS_PER_ACCOUNT },
          },
        },
        { Put: { TableName: table(), Item: { ...idNumberKey(p.userId, p.idNumber), patientId: p.patientId }, ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Put: {
            TableName: table(),
            Item: { ...patientKey(p.patientId), ...sealed(p), GSI1PK: `ACCOUNT#${p.userId}#PATIENTS`, GSI1SK: `${p.createdAt}#${p.patientId}`, ...personIndex(p) },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
    });
    return 'added';
  } catch (e) {
    if (!isTransactionCancelled(e)) throw e;
    const [count, idNo] = cancellationReasons(e);
    if (idNo === 'ConditionalCheckFailed') return 'duplicate';
    if (count === 'ConditionalCheckFailed') return 'limit';
    throw e;
  }
}

/** Changes name, relation or phone of the caller's own person; false when not theirs / gone. */
export async function updatePatient(userId: string, patientId: string, changes: Partial<Pick<PatientItem, 'name' | 'relation' | 'phone'>>, at: string): Promise<PatientItem | undefined> {
  const { phone, ...plain } = changes;
  const sets = Object.entries({ ...plain, ...(phone ? { phoneEnc: encryptField(phone, `patient:${patientId}:phone`) } : {}), updatedAt: at }).filter(([, v]) => v !== undefined);
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: patientKey(patientId),
        UpdateExpression: `SET ${sets.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ConditionExpression: 'userId = :owner',
        ExpressionAttributeNames: Object.fromEntries(sets.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: { ...Object.fromEntries(sets.map(([k, v]) => [`:${k}`, v])), ':owner': userId },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? strip(out.Attributes) : undefined;
  } catch (e) {
    if (isConditionFailed(e)) return undefined;
    throw e;
  }
}

/** Removes the person, their ID-number entry and one from the count; false when not theirs / gone. */
export async function removePatient(p: PatientItem): Promise<boolean> {
  try {
    await transactWrite({
      TransactItems: [
        { Delete: { TableName: table(), Key: patientKey(p.patientId), ConditionExpression: 'userId = :owner', ExpressionAttributeValues: { ':owner': p.userId } } },
        { Delete: { TableName: table(), Key: idNumberKey(p.userId, p.idNumber) } },
        {
          Update: {
            TableName: table(),
            Key: counterKey(p.userId),
            UpdateExpression: 'SET #count = #count - :one',
            ConditionExpression: '#count > :zero',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
          },
        },
      ],
    });
    return true;
  } catch (e) {
    if (isTransactionCancelled(e)) return false;
    throw e;
  }
}

// ── lookup by ID number (reports: a lab knows a person by ID number, not by our ids) ──
/** One key per person across accounts; the same form the payments feature files bills under. */
export const personKey = personKeyOf;
const personIndex = (p: Pick<PatientItem, 'idNumber' | 'patientId'>) => ({ GSI2PK: `PERSON#${personKey(p.idNumber)}`, GSI2SK: `PATIENT#${p.patientId}` });

/** Pauses online booking for the person on every account that holds them (never shortens a pause). */
export async function pauseBooking(key: string, until: string): Promise<number> {
  let changed = 0;
  for (const p of await findByPersonKey(key)) {
    const ok = await conditionally(
      db.send(
        new UpdateCommand({
          TableName: table(),
          Key: patientKey(p.patientId),
          UpdateExpression: 'SET bookingPausedUntil = :u',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(bookingPausedUntil) OR bookingPausedUntil < :u)',
          ExpressionAttributeValues: { ':u': until },
        }),
      ),
    );
    if (ok) changed++;
  }
  return changed;
}

/** Every account's entry for this person (a family may each have added them). */
export async function findByPersonKey(key: string): Promise<PatientItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': `PERSON#${key}` } }),
  );
  return (out.Items ?? []).map(strip);
}

/**
 * Marks the person verified on their account, once: a second proof changes nothing and answers
 * the item as it is. Undefined when the person is gone or not on this account.
 */
export async function setVerification(userId: string, patientId: string, v: Extract<Verification, { state: 'verified' }>): Promise<PatientItem | undefined> {
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: patientKey(patientId),
        UpdateExpression: 'SET verification = :v, updatedAt = :at',
        ConditionExpression: 'userId = :owner AND (attribute_not_exists(verification) OR verification.#state <> :verified)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':v': v, ':at': v.at, ':owner': userId, ':verified': 'verified' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? strip(out.Attributes) : undefined;
  } catch (e) {
    if (!isConditionFailed(e)) throw e;
    const p = await getPatient(patientId);
    return p && p.userId === userId ? p : undefined;
  }
}
