/**
 * Family-doctor teams, packages, contracts and home visits. The only code that knows these keys.
 *
 *   CARE#TEAM#<teamId> / TEAM             a team; GSI1 CARE#TEAMS / <orgId>#<teamId>
 *   CARE#STAFF#<userId> / TEAM#<teamId>   "this staff account is on that team" (written with the team)
 *   CARE#PKG#<packageId> / PACKAGE        a package; GSI1 CARE#PACKAGES / <orgId>#<packageId>
 *   CONTRACT#<id> / CONTRACT              a contract
 *       GSI1 TEAM#<teamId>#CONTRACTS / <status>#<requestedAt>#<id>    the team's worklist by status
 *       GSI2 ACCOUNT#<userId>#CONTRACTS / <requestedAt>#<id>          the resident's contracts
 *   CARE#PERSON#<hash(ID number)> / CONTRACT   the person's one pending/active contract (the lock)
 *   CARE#ENDS#<contractId> / ENDS         GSI1 CONTRACT_ENDS#<endDate> / <id>: the expiry/renewal sweep
 *   CONTRACT#<id> / VISIT#<visitId>       a home visit; GSI1 TEAM#<teamId>#VISITS / <status>#<createdAt>#<id>,
 *                                         GSI2 VISIT#<visitId> / VISIT (found by id)
 *
 * The lock is keyed by the ID number, not the patient id, so the same person added on two
 * accounts still holds one contract.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChronicCondition, ContractStatus, HomeVisitStatus, PackageKind, Relation, TeamRole } from '@hospital/shared';
import { cancellationReasons, db, isConditionFailed, isTransactionCancelled, queryAll as queryPages, table } from '#lib/table';
import { transactWrite } from '#lib/transact';

// ── teams and packages ──

export interface TeamMember {
  userId?: string;
  doctorId?: string;
  name: string;
  role: TeamRole;
  title: string;
  phone: string;
}
export interface TeamItem {
  teamId: string;
  orgId: string;
  orgName: string;
  name: string;
  intro: string;
  members: TeamMember[];
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface PackageItem {
  packageId: string;
  orgId: string;
  orgName: string;
  name: string;
  kind: PackageKind;
  intro: string;
  services: { name: string; detail: string }[];
  priceFen: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

const teamKey = (id: string) => ({ PK: `CARE#TEAM#${id}`, SK: 'TEAM' });
const memberKey = (userId: string, teamId: string) => ({ PK: `CARE#STAFF#${userId}`, SK: `TEAM#${teamId}` });
const packageKey = (id: string) => ({ PK: `CARE#PKG#${id}`, SK: 'PACKAGE' });

const strip = <T>(i: Record<string, unknown> | undefined): T | undefined => {
  if (!i) return undefined;
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i;
  return rest as T;
};

async function get<T>(key: { PK: string; SK: string }, consistent = false): Promise<T | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: consistent }));
  return strip<T>(out.Item);
}

async function queryAll<T>(input: { index?: 'GSI1' | 'GSI2'; pk: string; skPrefix?: string; forward?: boolean }): Promise<T[]> {
  const pkName = input.index ? `${input.index}PK` : 'PK';
  const skName = input.index ? `${input.index}SK` : 'SK';
  const rows = await queryPages({
    IndexName: input.index,
    KeyConditionExpression: input.skPrefix ? '#pk = :pk AND begins_with(#sk, :sk)' : '#pk = :pk',
    ExpressionAttributeNames: input.skPrefix ? { '#pk': pkName, '#sk': skName } : { '#pk': pkName },
    ExpressionAttributeValues: input.skPrefix ? { ':pk': input.pk, ':sk': input.skPrefix } : { ':pk': input.pk },
    ScanIndexForward: input.forward ?? true,
  });
  return rows.map((i) => strip<T>(i)!);
}

export const getTeam = (teamId: string) => get<TeamItem>(teamKey(teamId));
export const getPackage = (packageId: string) => get<PackageItem>(packageKey(packageId));
export const listTeams = () => queryAll<TeamItem>({ index: 'GSI1', pk: 'CARE#TEAMS' });
export const listPackages = () => queryAll<PackageItem>({ index: 'GSI1', pk: 'CARE#PACKAGES' });

/** Team ids the staff account is a member of. */
export async function teamIdsOf(userId: string): Promise<string[]> {
  const rows = await queryAll<{ teamId: string }>({ pk: `CARE#STAFF#${userId}`, skPrefix: 'TEAM#' });
  return rows.map((r) => r.teamId);
}

/**
 * Writes the team and its membership rows in one transaction; `expectedVersion` undefined means
 * "create" (fails if it exists). False when the team changed (or exists) meanwhile.
 */
export async function saveTeam(team: TeamItem, previous: TeamItem | undefined): Promise<boolean> {
  const accounts = (t?: TeamItem) => new Set((t?.members ?? []).flatMap((m) => (m.userId ? [m.userId] : [])));
  const now = accounts(team);
  const before = accounts(previous);
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { ...teamKey(team.teamId), ...team, GSI1PK: 'CARE#TEAMS', GSI1SK: `${team.orgId}#${team.teamId}` },
            ConditionExpression: previous ? 'version = :v' : 'attribute_not_exists(PK)',
            ...(previous ? { ExpressionAttributeValues: { ':v': previous.version } } : {}),
          },
        },
        ...[...now].map((userId) => ({ Put: { TableName: table(), Item: { ...memberKey(userId, team.teamId), teamId: team.teamId, userId } } })),
        ...[...before].filter((u) => !now.has(u)).map((userId) => ({ Delete: { TableName: table(), Key: memberKey(userId, team.teamId) } })),
      ],
    });
    return true;
  } catch (e) {
    if (isTransactionCancelled(e) && cancellationReasons(e)[0] === 'ConditionalCheckFailed') return false;
    throw e;
  }
}

/** Creates (when `create`) or replaces a package; false when creating one that exists. */
export async function savePackage(p: PackageItem, create: boolean): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...packageKey(p.packageId), ...p, GSI1PK: 'CARE#PACKAGES', GSI1SK: `${p.orgId}#${p.packageId}` },
        ConditionExpression: create ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)',
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}

// ── contracts ──

export interface ContractItem {
  contractId: string;
  status: ContractStatus;
  /** The account that signed (the resident managing the person). */
  userId: string;
  patientId: string;
  patientName: string;
  patientRelation: Relation;
  patientSex: 'male' | 'female';
  patientBirthDate: string;
  patientPhoneMasked: string;
  /** Hash of the person's ID number: the lock key (never the number itself). */
  personHash: string;
  teamId: string;
  teamName: string;
  orgId: string;
  orgName: string;
  packageId: string;
  packageName: string;
  packageKind: PackageKind;
  priceFen: number;
  conditions: ChronicCondition[];
  agreementVersion: string;
  acceptedAt: string;
  requestedAt: string;
  decidedAt?: string;
  decidedBy?: string;
  decidedByName?: string;
  declineReason?: string;
  startDate?: string;
  endDate?: string;
  renewedAt?: string;
  renewalRemindedFor?: string;
  cancelledAt?: string;
  cancelledBy?: 'resident' | 'team';
  cancelReason?: string;
  expiredAt?: string;
  updatedAt: string;
}

const contractKey = (id: string) => ({ PK: `CONTRACT#${id}`, SK: 'CONTRACT' });
const lockKey = (personHash: string) => ({ PK: `CARE#PERSON#${personHash}`, SK: 'CONTRACT' });
const endsKey = (id: string) => ({ PK: `CARE#ENDS#${id}`, SK: 'ENDS' });
const contractIndexes = (c: Pick<ContractItem, 'teamId' | 'status' | 'requestedAt' | 'contractId' | 'userId'>) => ({
  GSI1PK: `TEAM#${c.teamId}#CONTRACTS`,
  GSI1SK: `${c.status}#${c.requestedAt}#${c.contractId}`,
  GSI2PK: `ACCOUNT#${c.userId}#CONTRACTS`,
  GSI2SK: `${c.requestedAt}#${c.contractId}`,
});
/** Pending locks never lapse by date: the resident withdraws or the team decides. */
const PENDING_LOCK_END = '9999-12-31';

export const getContract = (id: string) => get<ContractItem>(contractKey(id), true);
export const listContractsOfAccount = (userId: string) => queryAll<ContractItem>({ index: 'GSI2', pk: `ACCOUNT#${userId}#CONTRACTS`, forward: false });
export const listContractsOfTeam = (teamId: string, status?: ContractStatus) =>
  queryAll<ContractItem>({ index: 'GSI1', pk: `TEAM#${teamId}#CONTRACTS`, skPrefix: status ? `${status}#` : undefined, forward: false });

/** The person's lock; `teamId` and `active` are set once the team approves (priority booking checks them). */
export interface ContractLock {
  contractId: string;
  endDate: string;
  teamId?: string;
  active?: boolean;
}
export async function getLock(personHash: string): Promise<ContractLock | undefined> {
  return get(lockKey(personHash), true);
}

/** A transaction part that holds only while this lock still names an active contract with the team, in its term. */
export const activeLockCheck = (personHash: string, lock: ContractLock, today: string) => ({
  ConditionCheck: {
    TableName: table(),
    Key: lockKey(personHash),
    ConditionExpression: 'contractId = :id AND teamId = :team AND #active = :true AND endDate >= :today',
    ExpressionAttributeNames: { '#active': 'active' },
    ExpressionAttributeValues: { ':id': lock.contractId, ':team': lock.teamId, ':true': true, ':today': today },
  },
});

/**
 * Writes the new pending contract and takes the person's lock, all or nothing. The lock is free
 * when absent or when it belongs to a contract whose term ended before `today`.
 */
export async function createContract(c: ContractItem, today: string): Promise<'created' | 'held'> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { ...lockKey(c.personHash), contractId: c.contractId, endDate: PENDING_LOCK_END },
            ConditionExpression: 'attribute_not_exists(PK) OR endDate < :today',
            ExpressionAttributeValues: { ':today': today },
          },
        },
        { Put: { TableName: table(), Item: { ...contractKey(c.contractId), ...c, ...contractIndexes(c) }, ConditionExpression: 'attribute_not_exists(PK)' } },
      ],
    });
    return 'created';
  } catch (e) {
    if (isTransactionCancelled(e) && cancellationReasons(e)[0] === 'ConditionalCheckFailed') return 'held';
    throw e;
  }
}

export type ContractChange = Partial<Omit<ContractItem, 'contractId' | 'userId' | 'teamId' | 'requestedAt' | 'personHash'>>;

function changeUpdate(c: ContractItem, from: readonly ContractStatus[], changes: ContractChange, extraCondition?: { expression: string; values: Record<string, unknown> }) {
  const next = { ...c, ...changes };
  const sets = Object.entries({ ...changes, GSI1SK: contractIndexes(next).GSI1SK }).filter(([, v]) => v !== undefined);
  const fromValues = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
  return {
    TableName: table(),
    Key: contractKey(c.contractId),
    UpdateExpression: `SET ${sets.map(([k]) => `#${k} = :${k}`).join(', ')}`,
    ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})${extraCondition ? ` AND ${extraCondition.expression}` : ''}`,
    ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k]) => [`#${k}`, k])), '#status': 'status' },
    ExpressionAttributeValues: { ...Object.fromEntries(sets.map(([k, v]) => [`:${k}`, v])), ...fromValues, ...(extraCondition?.values ?? {}) },
  };
}

/** The lock of an approved (or renewed) contract: its term's end, its team, active. */
const lockItem = (c: ContractItem, endDate: string) => ({
  Update: {
    TableName: table(),
    Key: lockKey(c.personHash),
    UpdateExpression: 'SET endDate = :end, teamId = :team, #active = :true',
    ConditionExpression: 'contractId = :id',
    ExpressionAttributeNames: { '#active': 'active' },
    ExpressionAttributeValues: { ':end': endDate, ':id': c.contractId, ':team': c.teamId, ':true': true },
  },
});
const releaseLock = (c: ContractItem) => ({
  Delete: { TableName: table(), Key: lockKey(c.personHash), ConditionExpression: 'contractId = :id', ExpressionAttributeValues: { ':id': c.contractId } },
});
const endsItem = (c: ContractItem, endDate: string) => ({
  Put: { TableName: table(), Item: { ...endsKey(c.contractId), contractId: c.contractId, endDate, GSI1PK: `CONTRACT_ENDS#${endDate}`, GSI1SK: c.contractId } },
});

/**
 * One state change as one transaction: the contract (only from `from` statuses), and with it
 * the lock (kept with the new end date, or released) and the expiry marker. False when the
 * contract was no longer in a `from` state (someone else decided first).
 */
export async function transition(
  c: ContractItem,
  from: readonly ContractStatus[],
  changes: ContractChange,
  lock: { keep: string } | 'release' | 'untouched',
  ends: { put: string } | 'delete' | 'untouched',
  extraCondition?: { expression: string; values: Record<string, unknown> },
): Promise<boolean> {
  const items: object[] = [{ Update: changeUpdate(c, from, changes, extraCondition) }];
  if (lock === 'release') items.push(releaseLock(c));
  else if (lock !== 'untouched') items.push(lockItem(c, lock.keep));
  if (ends === 'delete') items.push({ Delete: { TableName: table(), Key: endsKey(c.contractId) } });
  else if (ends !== 'untouched') items.push(endsItem(c, ends.put));
  try {
    await transactWrite({ TransactItems: items as never });
    return true;
  } catch (e) {
    if (isTransactionCancelled(e) && cancellationReasons(e).includes('ConditionalCheckFailed')) return false;
    throw e;
  }
}

/** Releases the person's lock if it still names this contract (an expired one); never throws on a taken lock. */
export async function releaseLockIfHeld(c: ContractItem): Promise<void> {
  try {
    await db.send(new DeleteCommand({ TableName: table(), Key: lockKey(c.personHash), ConditionExpression: 'contractId = :id', ExpressionAttributeValues: { ':id': c.contractId } }));
  } catch (e) {
    if (!isConditionFailed(e)) throw e;
  }
}

export async function deleteEndsMarker(contractId: string) {
  await db.send(new DeleteCommand({ TableName: table(), Key: endsKey(contractId) }));
}

/** Contract ids whose term ends on `date`. */
export async function contractsEndingOn(date: string): Promise<string[]> {
  const rows = await queryAll<{ contractId: string }>({ index: 'GSI1', pk: `CONTRACT_ENDS#${date}` });
  return rows.map((r) => r.contractId);
}

/** Marks a contract field once (e.g. the renewal reminder for this end date); false when already set so. */
export async function markOnce(contractId: string, field: 'renewalRemindedFor', value: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: contractKey(contractId),
        UpdateExpression: 'SET #f = :v',
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(#f) OR #f <> :v)',
        ExpressionAttributeNames: { '#f': field },
        ExpressionAttributeValues: { ':v': value },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}

// ── home visits ──

export interface HomeVisitItem {
  visitId: string;
  contractId: string;
  teamId: string;
  userId: string;
  patientId: string;
  patientName: string;
  reason: string;
  preferredDate: string;
  slot: 'am' | 'pm';
  address: string;
  phone: string;
  status: HomeVisitStatus;
  scheduledAt?: string;
  note?: string;
  handledBy?: string;
  handledByName?: string;
  createdAt: string;
  updatedAt: string;
}

const visitKey = (contractId: string, visitId: string) => ({ PK: `CONTRACT#${contractId}`, SK: `VISIT#${visitId}` });
const visitIndex = (v: HomeVisitItem) => ({ GSI1PK: `TEAM#${v.teamId}#VISITS`, GSI1SK: `${v.status}#${v.createdAt}#${v.visitId}`, GSI2PK: `VISIT#${v.visitId}`, GSI2SK: 'VISIT' });

export async function putHomeVisit(v: HomeVisitItem) {
  await db.send(new PutCommand({ TableName: table(), Item: { ...visitKey(v.contractId, v.visitId), ...v, ...visitIndex(v) }, ConditionExpression: 'attribute_not_exists(PK)' }));
}

export const listHomeVisits = (contractId: string) => queryAll<HomeVisitItem>({ pk: `CONTRACT#${contractId}`, skPrefix: 'VISIT#', forward: false });
export const listTeamHomeVisits = (teamId: string, status?: HomeVisitStatus) =>
  queryAll<HomeVisitItem>({ index: 'GSI1', pk: `TEAM#${teamId}#VISITS`, skPrefix: status ? `${status}#` : undefined, forward: false });

/** A visit by its id alone (the staff route names only the visit). */
export async function getHomeVisit(visitId: string): Promise<HomeVisitItem | undefined> {
  const rows = await queryAll<HomeVisitItem>({ index: 'GSI2', pk: `VISIT#${visitId}` });
  return rows[0];
}

/** Moves a visit from `from` to the changes' status; false when it changed meanwhile. */
export async function updateHomeVisit(v: HomeVisitItem, from: readonly HomeVisitStatus[], changes: Partial<HomeVisitItem>): Promise<HomeVisitItem | undefined> {
  const next = { ...v, ...changes };
  const sets = Object.entries({ ...changes, GSI1SK: visitIndex(next).GSI1SK }).filter(([, val]) => val !== undefined);
  const fromValues = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: visitKey(v.contractId, v.visitId),
        UpdateExpression: `SET ${sets.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
        ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k]) => [`#${k}`, k])), '#status': 'status' },
        ExpressionAttributeValues: { ...Object.fromEntries(sets.map(([k, val]) => [`:${k}`, val])), ...fromValues },
      }),
    );
    return next;
  } catch (e) {
    if (isConditionFailed(e)) return undefined;
    throw e;
  }
}
