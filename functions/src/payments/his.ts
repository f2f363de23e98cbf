/**
 * The hospital system (HIS) pushes bills, admissions and daily charges. Order of checks:
 * signature (nothing is read before it verifies), nonce (once), then the body, validated as a
 * whole (a 400 names the field) before anything is written, so a bad batch writes nothing.
 */
import * as z from 'zod';
import { fieldErrors, HisAdmissionsRequest, HisBillsRequest, HisChargesRequest } from '@hospital/shared';
import { HttpError } from '#lib/errors';
import { claimNonce, verifyPush } from '#lib/hmac-push';
import { logger } from '#lib/logger';
import { admissionIdOf, postCharge, REFUSALS, type Refusal, upsertAdmission } from './admissions';
import { hisBill } from './bills';
import { getBill } from './bills-store';
import { personHash } from './person';
import { hisSecrets, hisSources } from './config';

type PushResult = { accepted: number; duplicates: number; rejected: { ref: string; code: string; message: string }[] };

async function verified<S extends z.ZodType>(headers: Record<string, string>, rawBody: string, schema: S) {
  const { source, nonce } = await verifyPush(headers, rawBody, hisSecrets);
  await claimNonce(`his#${source}`, nonce);
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', '请求内容不是有效的 JSON', [{ path: 'body', message: 'malformed JSON' }]);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new HttpError(400, 'VALIDATION_FAILED', '请求参数有误', fieldErrors(r.error.issues, 'body'));
  return { source, orgId: hisSources().get(source) as string, body: r.data as z.output<S> };
}

export async function bills(headers: Record<string, string>, rawBody: string): Promise<PushResult> {
  const { source, orgId, body } = await verified(headers, rawBody, HisBillsRequest);
  // Amounts are checked before any write: the lines must add up to the total the HIS states.
  const wrong = body.bills.flatMap((b, i) => (b.items.reduce((s, l) => s + l.amount, 0) !== b.total ? [{ path: `body.bills.${i}.total`, message: '合计与明细金额之和不符' }] : []));
  if (wrong.length) throw new HttpError(400, 'VALIDATION_FAILED', '账单金额有误', wrong);
  const out: PushResult = { accepted: 0, duplicates: 0, rejected: [] };
  for (const b of body.bills) {
    if ((await hisBill(source, orgId, b)) === 'created') {
      out.accepted++;
      continue;
    }
    // A re-send is a duplicate; the same number with other content is the HIS's error to fix.
    const first = await getBill(`bill-${source}-${b.billNo}`);
    if (first && first.total === b.total && first.personHash === personHash(b.idNumber)) out.duplicates++;
    else out.rejected.push({ ref: b.billNo, code: 'BILL_CONFLICT', message: '账单号已存在且内容不同' });
  }
  logger.info('his bills', { source, accepted: out.accepted, duplicates: out.duplicates });
  return out;
}

export async function admissions(headers: Record<string, string>, rawBody: string): Promise<PushResult> {
  const { source, orgId, body } = await verified(headers, rawBody, HisAdmissionsRequest);
  const out: PushResult = { accepted: 0, duplicates: 0, rejected: [] };
  for (const a of body.admissions) (await upsertAdmission(source, orgId, a)) === 'unchanged' ? out.duplicates++ : out.accepted++;
  logger.info('his admissions', { source, accepted: out.accepted, duplicates: out.duplicates });
  return out;
}

export async function charges(headers: Record<string, string>, rawBody: string): Promise<PushResult> {
  const { source, body } = await verified(headers, rawBody, HisChargesRequest);
  const out: PushResult = { accepted: 0, duplicates: 0, rejected: [] };
  for (const c of body.charges) {
    // The id carries the source: one hospital's system cannot post to another's admissions.
    const r = await postCharge(admissionIdOf(source, c.admissionNo), c, `his:${source}`);
    if (r === 'posted') out.accepted++;
    else if (r === 'duplicate') out.duplicates++;
    else if (r in REFUSALS) out.rejected.push({ ref: c.chargeId, ...REFUSALS[r as Refusal] }); // a correction (冲红) that cannot be made
    else out.rejected.push({ ref: c.chargeId, code: r === 'missing' ? 'ADMISSION_NOT_FOUND' : 'ADMISSION_SETTLED', message: r === 'missing' ? '住院号不存在' : '住院账户已结清' });
  }
  logger.info('his charges', { source, accepted: out.accepted, duplicates: out.duplicates, rejected: out.rejected.length });
  return out;
}
