/**
 * Reports. The only code that knows these keys.
 *
 *   REPORT#<reportId> / CURRENT      the version people read
 *       GSI1 REPORTS#<personKey> / <issuedAt>#<reportId>     a person's reports (matched)
 *       GSI1 LABHELD#<source> / <receivedAt>#<reportId>      waiting for staff to match (the lab
 *                                                            desk of the source's organisation)
 *       GSI2 LABREJECTED#<source> / <receivedAt>#<reportId>  some results were not filed (staff
 *                                                            ask the lab to resend them)
 *   REPORT#<reportId> / V#<000001>   every version as received (history of amendments)
 *
 * `reportId` is derived from the source and the lab's report identifier, so a resend lands on the
 * same item. A report is filed under the person (hash of the ID number, `personKey`), not under one
 * account's entry: every family account holding that person sees it, also one added later.
 * The ID number itself is never stored here (masked for staff, hashed for matching).
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RejectedPart, ReportObservation, ReportStatus, ReportType } from '@hospital/shared';
import { conditionally, db, table } from '#lib/table';
import { transactWrite } from '#lib/transact';

/** What a version says (the hash is over exactly this). */
export interface ReportContent {
  identifier: { system?: string; value: string };
  status: ReportStatus;
  type: ReportType;
  category: string;
  code: string;
  /** The report code's system when it is not LOINC. */
  codeSystem?: string;
  title: string;
  subject: { name?: string; idMasked?: string; idKey?: string };
  effectiveAt?: string;
  issuedAt: string;
  performer?: string;
  observations: ReportObservation[];
  findings?: string;
  conclusion?: string;
  /** Results the lab sent that were not filed, and why (no values). */
  rejected?: RejectedPart[];
}

export type HeldReason = 'no_id_number' | 'unknown_person' | 'name_mismatch';

export interface ReportItem extends ReportContent {
  reportId: string;
  source: string;
  version: number;
  receivedAt: string;
  firstReceivedAt: string;
  /** Content hash of every version, oldest first: a resend of any of them changes nothing. */
  hashes: string[];
  personKey?: string;
  held?: { reason: HeldReason; since: string };
  /** Staff who matched a held report (kept through later amendments). */
  matchedBy?: string;
  matchedAt?: string;
  abnormalCount: number;
  critical: boolean;
}

export interface VersionItem extends ReportContent {
  reportId: string;
  version: number;
  receivedAt: string;
  hash: string;
}

const key = (reportId: string, sk = 'CURRENT') => ({ PK: `REPORT#${reportId}`, SK: sk });
const versionSk = (v: number) => `V#${String(v).padStart(6, '0')}`;
const index = (r: Pick<ReportItem, 'personKey' | 'issuedAt' | 'receivedAt' | 'reportId' | 'source'>) =>
  r.personKey ? { GSI1PK: `REPORTS#${r.personKey}`, GSI1SK: `${r.issuedAt}#${r.reportId}` } : { GSI1PK: `LABHELD#${r.source}`, GSI1SK: `${r.receivedAt}#${r.reportId}` };
/** A report some of whose results were not filed is on the lab desk's list too, until a version without them. */
const rejectedIndex = (r: Pick<ReportItem, 'rejected' | 'receivedAt' | 'reportId' | 'source'>) =>
  r.rejected?.length ? { GSI2PK: `LABREJECTED#${r.source}`, GSI2SK: `${r.receivedAt}#${r.reportId}` } : {};

const strip = <T>(i: Record<string, unknown>): T => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i;
  return rest as T;
};

export async function getReport(reportId: string): Promise<ReportItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: key(reportId), ConsistentRead: true }));
  return out.Item ? strip<ReportItem>(out.Item) : undefined;
}

export async function listVersions(reportId: string): Promise<VersionItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :v)',
      ExpressionAttributeValues: { ':p': `REPORT#${reportId}`, ':v': 'V#' },
    }),
  );
  return (out.Items ?? []).map((i) => strip<VersionItem>(i));
}

const versionItem = (r: ReportItem, hash: string): VersionItem => {
  const { source: _s, firstReceivedAt: _f, hashes: _h, personKey: _p, held: _d, matchedBy: _m, matchedAt: _a, abnormalCount: _c, critical: _k, ...content } = r;
  return { ...content, hash };
};

/**
 * Writes the first version, or the next one over `expectedVersion`. False when someone else
 * wrote first (the caller reads again and decides anew).
 */
export async function writeVersion(r: ReportItem, hash: string, expectedVersion: number | undefined): Promise<boolean> {
  return conditionally(transactWrite({
    TransactItems: [
      {
        Put: {
          TableName: table(),
          Item: { ...key(r.reportId), ...r, ...index(r), ...rejectedIndex(r) },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        },
      },
      { Put: { TableName: table(), Item: { ...key(r.reportId, versionSk(r.version)), ...versionItem(r, hash) }, ConditionExpression: 'attribute_not_exists(PK)' } },
    ],
  }));
}

async function queryIndex(pk: string, opts: { limit: number; newestFirst: boolean; type?: ReportType; index?: 'GSI1' | 'GSI2' }): Promise<ReportItem[]> {
  const ix = opts.index ?? 'GSI1';
  const items: ReportItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table(),
        IndexName: ix,
        KeyConditionExpression: `${ix}PK = :p`,
        ...(opts.type ? { FilterExpression: '#type = :t', ExpressionAttributeNames: { '#type': 'type' } } : {}),
        ExpressionAttributeValues: { ':p': pk, ...(opts.type ? { ':t': opts.type } : {}) },
        ScanIndexForward: !opts.newestFirst,
        ExclusiveStartKey,
      }),
    );
    items.push(...(out.Items ?? []).map((i) => strip<ReportItem>(i)));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey && items.length < opts.limit);
  return items.slice(0, opts.limit);
}

/** A person's reports, newest first. */
export const listForPerson = (personKey: string, type?: ReportType, limit = 200) => queryIndex(`REPORTS#${personKey}`, { limit, newestFirst: true, type });

/**
 * The lab desk's list for these sources, oldest first: reports waiting for a match, and reports
 * some of whose results were not filed (each report once).
 */
export async function listHeld(sources: string[], limit = 100): Promise<ReportItem[]> {
  const lists = await Promise.all(
    sources.flatMap((s) => [queryIndex(`LABHELD#${s}`, { limit, newestFirst: false }), queryIndex(`LABREJECTED#${s}`, { limit, newestFirst: false, index: 'GSI2' })]),
  );
  const byId = new Map(lists.flat().map((r) => [r.reportId, r]));
  return [...byId.values()].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)).slice(0, limit);
}

/** Files a held report under a person; false when it is not (or no longer) held. */
export async function matchHeld(r: ReportItem, personKey: string, by: string, at: string): Promise<boolean> {
  const idx = index({ ...r, personKey });
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: key(r.reportId),
      UpdateExpression: 'SET personKey = :k, matchedBy = :by, matchedAt = :at, GSI1PK = :gpk, GSI1SK = :gsk REMOVE held',
      ConditionExpression: 'attribute_exists(held) AND version = :v',
      ExpressionAttributeValues: { ':k': personKey, ':by': by, ':at': at, ':gpk': idx.GSI1PK, ':gsk': idx.GSI1SK, ':v': r.version },
    }),
  ));
}
