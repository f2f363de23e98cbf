/**
 * Supervised medication plans. The only code that knows these keys.
 *
 *   PLAN#<planId> / PLAN                    the plan (regimen, supervisor, clinician)
 *       GSI1 CLINICIAN#<userId>#PLANS / <createdAt>#<planId>    the clinician's plans
 *   PLAN#<planId> / DOSE#<doseId>           one scheduled dose (`2025-06-01_0800`, time order)
 *       while still open also GSI1 DUE#<date> / <HH:mm>#<planId>#<doseId>  (sparse: the
 *       missed-dose and reminder jobs read only open doses of a day)
 *   PLAN#<planId> / ALERT#<alertId>         an alert; GSI1 CLINICIAN#<userId>#ALERTS / <createdAt>#<alertId>
 *   CARE#PLANLOCK#<patientId> / PLAN        one current plan per person
 *   CARE#ACCOUNTPLANS#<userId> / PLAN#<id>  the plans of the people on an account
 *   CARE#SUPERVISES#<userId> / PLAN#<id>    the plans a user supervises (staff, or a family member who accepted)
 *   CARE#INVITE#<personHash> / PLAN#<id>    a family member's pending invitation, by their ID-number hash
 */
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertReason, ConfirmMethod, DoseStatus, PlanStatus, Relation, SideEffect, SupervisorKind, SupervisorState } from '@hospital/shared';
import { cancellationReasons, db, isConditionFailed, isTransactionCancelled, queryAll, table } from '#lib/table';
import { transactWrite } from '#lib/transact';

export interface Supervisor {
  kind: SupervisorKind;
  name: string;
  state: SupervisorState;
  /** The account that confirms doses: the staff account, or the family member once they accept. */
  userId?: string;
  /** Family: the person on the patient's account, their relation and ID-number hash. */
  patientId?: string;
  relation?: Relation;
  personHash?: string;
}

export interface PlanItem {
  planId: string;
  status: PlanStatus;
  /** The account the patient is on (who sees the plan). */
  userId: string;
  patientId: string;
  patientName: string;
  contractId?: string;
  diagnosis: string;
  regimen: { code: string; phases: { name: string; days: number; drugs: { name: string; dose: string }[] }[] };
  doseTimes: string[];
  startDate: string;
  endDate: string;
  selfReportAllowed: boolean;
  clinicianId: string;
  clinicianName: string;
  supervisor: Supervisor;
  stoppedAt?: string;
  stoppedReason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface DoseItem {
  planId: string;
  doseId: string;
  date: string;
  time: string;
  phase: number;
  status: DoseStatus;
  confirmedAt?: string;
  confirmedBy?: string;
  confirmedByName?: string;
  method?: ConfirmMethod;
  imageId?: string;
  note?: string;
  sideEffects?: SideEffect[];
  missedAt?: string;
  remindedAt?: string;
}

export interface AlertItem {
  planId: string;
  alertId: string;
  clinicianId: string;
  patientId: string;
  patientName: string;
  reason: AlertReason;
  detail: string;
  misses?: number;
  sideEffects?: SideEffect[];
  reportedBy?: string;
  reportedByName?: string;
  createdAt: string;
  acknowledgedAt?: string;
  acknowledgedByName?: string;
}

const planKey = (id: string) => ({ PK: `PLAN#${id}`, SK: 'PLAN' });
const doseKey = (planId: string, doseId: string) => ({ PK: `PLAN#${planId}`, SK: `DOSE#${doseId}` });
const alertKey = (planId: string, alertId: string) => ({ PK: `PLAN#${planId}`, SK: `ALERT#${alertId}` });
const lockKey = (patientId: string) => ({ PK: `CARE#PLANLOCK#${patientId}`, SK: 'PLAN' });
const accountKey = (userId: string, planId: string) => ({ PK: `CARE#ACCOUNTPLANS#${userId}`, SK: `PLAN#${planId}` });
const supervisesKey = (userId: string, planId: string) => ({ PK: `CARE#SUPERVISES#${userId}`, SK: `PLAN#${planId}` });
const inviteKey = (personHash: string, planId: string) => ({ PK: `CARE#INVITE#${personHash}`, SK: `PLAN#${planId}` });
const dueIndex = (d: Pick<DoseItem, 'date' | 'time' | 'planId' | 'doseId'>) => ({ GSI1PK: `DUE#${d.date}`, GSI1SK: `${d.time}#${d.planId}#${d.doseId}` });

const strip = <T>(i: Record<string, unknown>) => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i;
  return rest as T;
};


export async function getPlan(planId: string): Promise<PlanItem | undefined> {
  if (!/^[\w-]{1,80}$/.test(planId)) return undefined;
  const out = await db.send(new GetCommand({ TableName: table(), Key: planKey(planId), ConsistentRead: true }));
  return out.Item ? strip<PlanItem>(out.Item) : undefined;
}

export async function getLock(patientId: string): Promise<{ planId: string; endDate: string } | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: lockKey(patientId), ConsistentRead: true }));
  return out.Item as { planId: string; endDate: string } | undefined;
}

/** Doses first (many items, batched), then the plan, its lock and pointers in one transaction. */
export async function createPlan(p: PlanItem, doses: DoseItem[], today: string): Promise<'created' | 'exists'> {
  for (let i = 0; i < doses.length; i += 25) {
    let requests = doses.slice(i, i + 25).map((d) => ({ PutRequest: { Item: { ...doseKey(p.planId, d.doseId), ...d, ...dueIndex(d) } } }));
    for (let attempt = 0; requests.length && attempt < 8; attempt++) {
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table()]: requests } }));
      requests = (out.UnprocessedItems?.[table()] ?? []) as typeof requests;
      if (requests.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
    if (requests.length) throw new Error('could not write every dose');
  }
  const pointers = [{ Put: { TableName: table(), Item: { ...accountKey(p.userId, p.planId), planId: p.planId } } }];
  if (p.supervisor.kind === 'staff' && p.supervisor.userId) pointers.push({ Put: { TableName: table(), Item: { ...supervisesKey(p.supervisor.userId, p.planId), planId: p.planId } } });
  if (p.supervisor.kind === 'family' && p.supervisor.personHash) pointers.push({ Put: { TableName: table(), Item: { ...inviteKey(p.supervisor.personHash, p.planId), planId: p.planId } } });
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { ...lockKey(p.patientId), planId: p.planId, endDate: p.endDate },
            ConditionExpression: 'attribute_not_exists(PK) OR endDate < :today',
            ExpressionAttributeValues: { ':today': today },
          },
        },
        {
          Put: {
            TableName: table(),
            Item: { ...planKey(p.planId), ...p, GSI1PK: `CLINICIAN#${p.clinicianId}#PLANS`, GSI1SK: `${p.createdAt}#${p.planId}` },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        ...pointers,
      ],
    });
    return 'created';
  } catch (e) {
    if (!(isTransactionCancelled(e) && cancellationReasons(e)[0] === 'ConditionalCheckFailed')) throw e;
    // The person already has a plan: the doses written for this one are removed again.
    await deleteDoses(p.planId, doses);
    return 'exists';
  }
}

async function deleteDoses(planId: string, doses: DoseItem[]) {
  for (let i = 0; i < doses.length; i += 25) {
    await db.send(new BatchWriteCommand({ RequestItems: { [table()]: doses.slice(i, i + 25).map((d) => ({ DeleteRequest: { Key: doseKey(planId, d.doseId) } })) } }));
  }
}

export async function listClinicianPlans(clinicianId: string): Promise<PlanItem[]> {
  const rows = await queryAll({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', ExpressionAttributeValues: { ':p': `CLINICIAN#${clinicianId}#PLANS` }, ScanIndexForward: false });
  return rows.map((i) => strip<PlanItem>(i));
}

async function pointedPlans(pk: string): Promise<PlanItem[]> {
  const rows = await queryAll({ KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': pk } });
  const plans = await Promise.all(rows.map((r) => getPlan(r.planId as string)));
  return plans.filter((p): p is PlanItem => !!p).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
export const listAccountPlans = (userId: string) => pointedPlans(`CARE#ACCOUNTPLANS#${userId}`);
export const listSupervisedPlans = (userId: string) => pointedPlans(`CARE#SUPERVISES#${userId}`);
export const listInvitations = (personHash: string) => pointedPlans(`CARE#INVITE#${personHash}`);

/** The family member's answer: the plan's supervisor state moves once from invited. */
export async function answerInvitation(p: PlanItem, userId: string, accept: boolean, at: string): Promise<boolean> {
  const state: SupervisorState = accept ? 'accepted' : 'declined';
  const items: object[] = [
    {
      Update: {
        TableName: table(),
        Key: planKey(p.planId),
        UpdateExpression: accept ? 'SET supervisor.#state = :s, supervisor.userId = :u, updatedAt = :at' : 'SET supervisor.#state = :s, updatedAt = :at',
        ConditionExpression: 'supervisor.#state = :invited',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':s': state, ':invited': 'invited', ':at': at, ...(accept ? { ':u': userId } : {}) },
      },
    },
    { Delete: { TableName: table(), Key: inviteKey(p.supervisor.personHash!, p.planId) } },
  ];
  if (accept) items.push({ Put: { TableName: table(), Item: { ...supervisesKey(userId, p.planId), planId: p.planId } } });
  try {
    await transactWrite({ TransactItems: items as never });
    return true;
  } catch (e) {
    if (isTransactionCancelled(e) && cancellationReasons(e)[0] === 'ConditionalCheckFailed') return false;
    throw e;
  }
}

/** Doses of the plan from `from` to `to` (YYYY-MM-DD, inclusive), in time order. */
export async function doses(planId: string, from?: string, to?: string): Promise<DoseItem[]> {
  const rows = await queryAll({
    KeyConditionExpression: 'PK = :p AND SK BETWEEN :lo AND :hi',
    ExpressionAttributeValues: { ':p': `PLAN#${planId}`, ':lo': `DOSE#${from ?? ''}`, ':hi': `DOSE#${to ?? '9999'}~` },
  });
  return rows.map((i) => strip<DoseItem>(i));
}

export async function getDose(planId: string, doseId: string): Promise<DoseItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: doseKey(planId, doseId), ConsistentRead: true }));
  return out.Item ? strip<DoseItem>(out.Item) : undefined;
}

/**
 * Closes an open dose (taken or missed) once: the condition is "still scheduled", and the dose
 * leaves the due index in the same write. Undefined when it was closed already.
 */
export async function closeDose(planId: string, doseId: string, changes: Partial<DoseItem> & { status: 'taken' | 'missed' }): Promise<DoseItem | undefined> {
  const sets = Object.entries(changes).filter(([, v]) => v !== undefined);
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: doseKey(planId, doseId),
        UpdateExpression: `SET ${sets.map(([k]) => `#${k} = :${k}`).join(', ')} REMOVE GSI1PK, GSI1SK`,
        ConditionExpression: '#status = :scheduled',
        ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k]) => [`#${k}`, k])), '#status': 'status' },
        ExpressionAttributeValues: { ...Object.fromEntries(sets.map(([k, v]) => [`:${k}`, v])), ':scheduled': 'scheduled' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? strip<DoseItem>(out.Attributes) : undefined;
  } catch (e) {
    if (isConditionFailed(e)) return undefined;
    throw e;
  }
}

/** Open doses of a day (from the sparse due index), optionally between two times. */
export async function openDosesOn(date: string, fromTime?: string, toTime?: string): Promise<DoseItem[]> {
  const rows = await queryAll({
    IndexName: 'GSI1',
    KeyConditionExpression: fromTime ? 'GSI1PK = :p AND GSI1SK BETWEEN :lo AND :hi' : 'GSI1PK = :p',
    ExpressionAttributeValues: fromTime ? { ':p': `DUE#${date}`, ':lo': fromTime, ':hi': `${toTime}~` } : { ':p': `DUE#${date}` },
  });
  return rows.map((i) => strip<DoseItem>(i));
}

/** Takes a dose off the due index without closing it (the plan was stopped). */
export async function undue(planId: string, doseId: string) {
  await db.send(new UpdateCommand({ TableName: table(), Key: doseKey(planId, doseId), UpdateExpression: 'REMOVE GSI1PK, GSI1SK' }));
}

/** Marks the reminder once; false when it was already sent. */
export async function markReminded(planId: string, doseId: string, at: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: doseKey(planId, doseId),
        UpdateExpression: 'SET remindedAt = :at',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(remindedAt)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}

/** Stops the plan once and frees the person's lock. */
export async function stopPlan(p: PlanItem, reason: string, at: string): Promise<boolean> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: table(),
            Key: planKey(p.planId),
            UpdateExpression: 'SET #status = :stopped, stoppedAt = :at, stoppedReason = :r, updatedAt = :at',
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':stopped': 'stopped', ':active': 'active', ':at': at, ':r': reason },
          },
        },
        { Delete: { TableName: table(), Key: lockKey(p.patientId), ConditionExpression: 'planId = :id', ExpressionAttributeValues: { ':id': p.planId } } },
      ],
    });
    return true;
  } catch (e) {
    if (isTransactionCancelled(e) && cancellationReasons(e)[0] === 'ConditionalCheckFailed') return false;
    throw e;
  }
}

/** Writes an alert once per id (a re-run of the job never alerts twice for the same day). */
export async function putAlert(a: AlertItem): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...alertKey(a.planId, a.alertId), ...a, GSI1PK: `CLINICIAN#${a.clinicianId}#ALERTS`, GSI1SK: `${a.createdAt}#${a.alertId}` },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}

export async function planAlerts(planId: string): Promise<AlertItem[]> {
  const rows = await queryAll({ KeyConditionExpression: 'PK = :p AND begins_with(SK, :a)', ExpressionAttributeValues: { ':p': `PLAN#${planId}`, ':a': 'ALERT#' } });
  return rows.map((i) => strip<AlertItem>(i));
}

export async function clinicianAlerts(clinicianId: string, limit = 200): Promise<AlertItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', ExpressionAttributeValues: { ':p': `CLINICIAN#${clinicianId}#ALERTS` }, ScanIndexForward: false, Limit: limit }),
  );
  return (out.Items ?? []).map((i) => strip<AlertItem>(i));
}

export async function ackAlert(planId: string, alertId: string, byName: string, at: string): Promise<AlertItem | undefined> {
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: alertKey(planId, alertId),
        UpdateExpression: 'SET acknowledgedAt = if_not_exists(acknowledgedAt, :at), acknowledgedByName = if_not_exists(acknowledgedByName, :n)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':at': at, ':n': byName },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? strip<AlertItem>(out.Attributes) : undefined;
  } catch (e) {
    if (isConditionFailed(e)) return undefined;
    throw e;
  }
}
