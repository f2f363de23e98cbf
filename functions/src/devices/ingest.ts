/**
 * `POST /v1/iot/readings`: a kiosk's signed push. Order of checks: size and content type, the
 * signature (shared HMAC helper: known kiosk, ±300 s, constant-time compare against each active
 * secret), the content (every bad entry named, nothing stored), the nonce (used once), then the
 * push itself, once per Bundle.identifier / MSH-10.
 *
 * Who the readings belong to is decided by the binding at the kiosk when the push arrives: the
 * person picked in the mini-program, if a session is open and every reading was taken after it
 * opened; otherwise nobody, and the push waits for staff (never dropped, never guessed).
 */
import { createHash } from 'node:crypto';
import { formatReading, raisesAlert, signName, SEVERITY_RANK, type KioskPushResult } from '@hospital/shared';
import { claimNonce, nonceKey, NONCE_TTL_SECONDS, verifyPush } from '#lib/hmac-push';
import { ttlIn } from '#lib/table';
import { HttpError } from '#lib/errors';
import { logger } from '#lib/logger';
import { notify } from '#lib/notifier';
import { publish, userTopic } from '#lib/realtime';
import { blobs } from './blobs';
import { cachedKiosk } from './kiosks';
import { contentHash, measure, stableId, toInstant, type Measured, type PushIn } from './measure';
import { parseFhir } from './parse-fhir';
import { parseHl7 } from './parse-hl7';
import * as store from './store';

export const MAX_PUSH_BYTES = 2 * 1024 * 1024;
export const MAX_READINGS_PER_PUSH = 200;
/** A reading taken this long before the binding opened belongs to whoever stood there before. */
const CLOCK_SKEW_MS = 120_000;

function parse(contentType: string, raw: string) {
  const type = contentType.toLowerCase();
  if (/^application\/(fhir\+json|json)\b/.test(type)) return parseFhir(raw);
  if (/^(application|x-application)\/(hl7-v2|x-hl7|hl7-v2\+er7)\b/.test(type)) return parseHl7(raw);
  throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', '请使用 application/fhir+json（FHIR R4 Bundle）或 application/hl7-v2（ORU^R01）');
}

/** `2025-06-08` (FHIR dateTime at day precision, HL7 TS `20250608`): a day, not a moment. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Readings as measured, a date-only time kept as the date. The grading needs an instant, so a day
 * stands in as its Beijing midnight while measuring (the same every time, so a re-push yields the
 * same ids) and is put back as the date afterwards: never replaced by the time we received it.
 */
export function measureKeepingDates(push: PushIn, receivedAt: string) {
  const days = new Map<string, string>();
  const exact = new Set<string>();
  const observations = push.observations.map((o) => {
    if (!o.effectiveAt || !DATE_ONLY.test(o.effectiveAt)) {
      const t = toInstant(o.effectiveAt);
      if (t) exact.add(t);
      return o;
    }
    const stand = `${o.effectiveAt}T00:00:00+08:00`;
    days.set(toInstant(stand)!, o.effectiveAt);
    return { ...o, effectiveAt: stand };
  });
  const out = measure({ ...push, observations }, receivedAt);
  // A blood pressure pair becomes one reading: matched by the stand-in instant, unless a reading with a real time shares it.
  const dayOf = (m: Measured) => (exact.has(m.effectiveAt) ? undefined : days.get(m.effectiveAt));
  return { ...out, readings: out.readings.map((m) => (dayOf(m) ? { ...m, effectiveAt: dayOf(m)! } : m)) };
}

/**
 * What a push says for telling a retry from different content: the observations as sent, not
 * Bundle.timestamp / MSH-7 (a kiosk that re-sends re-stamps them; the push is the same).
 */
export const pushHash = (push: PushIn) => contentHash({ ...push, sentAt: undefined });

/** The marker also keeps the first arrival's send time: a retry with a new one is completed as first decided. */
type Marker = store.PushMarker & { sentAt?: string };

export interface Target {
  patientId: string;
  userId: string;
  patientName: string;
}

/**
 * Storage cost is what limits a kiosk fleet, so a new push costs two requests: one consistent
 * BatchGetItem (binding, earlier copy of this message, nonce) and one BatchWriteItem (readings,
 * alerts, the push's marker and the nonce row). Why that is safe:
 *  - a replay carries the same signed body, so it is the same message: at worst (two copies at
 *    the very same instant, both before either is written) both write the same items with the
 *    same ids, and the alert message is sent once (a conditional NOTICE row);
 *  - a later replay finds the nonce row and is refused (409 REPLAYED); a re-push with a new
 *    nonce finds the marker and changes nothing (202 duplicate), after checking the push is whole
 *    (a write that died half-way is completed with the attribution decided then).
 */
export async function ingest(headers: Record<string, string>, rawBody: string, nowMs = Date.now()): Promise<KioskPushResult> {
  if (Buffer.byteLength(rawBody) > MAX_PUSH_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', '推送内容过大（上限 2 MB）');
  // Kiosks name themselves with X-Kiosk-Id; the shared verifier reads X-Source.
  const signed = { ...headers, 'x-source': headers['x-kiosk-id'] ?? '' };
  const { source: kioskId, nonce } = await verifyPush(signed, rawBody, async (id) => (await cachedKiosk(id, nowMs))?.secrets.map((s) => s.value), nowMs);
  const kiosk = (await cachedKiosk(kioskId, nowMs))!;

  const receivedAt = new Date(nowMs).toISOString();
  const parsed = parse(headers['content-type'] ?? '', rawBody);
  if (!parsed.push) throw new HttpError(400, 'VALIDATION_FAILED', '推送内容格式错误', parsed.errors);
  const { readings, errors } = measureKeepingDates(parsed.push, receivedAt);
  if (errors.length) throw new HttpError(400, 'VALIDATION_FAILED', `${errors.length} 项测量结果无效，整批未保存`, errors);
  if (!readings.length) throw new HttpError(400, 'VALIDATION_FAILED', '推送中没有测量结果', [{ path: 'entry', message: '没有 Observation' }]);
  if (readings.length > MAX_READINGS_PER_PUSH) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `单次推送最多 ${MAX_READINGS_PER_PUSH} 项`);

  const push = parsed.push;
  const scope = `kiosk:${kioskId}`;
  const seen = await store.lookupPush(kioskId, push.messageId, nonceKey(scope, nonce), receivedAt);
  if (seen.nonceUsed) throw new HttpError(409, 'REPLAYED', '重复的请求（nonce 已使用）');
  const hash = pushHash(push);
  const nonceRow = store.rowPut({ ...nonceKey(scope, nonce), ttl: ttlIn(NONCE_TTL_SECONDS, nowMs) });

  if (seen.marker) {
    const m: Marker = seen.marker;
    // Markers written before the timestamp was left out hashed it in: either hash is the same push.
    if (m.contentHash !== hash && m.contentHash !== contentHash(push)) throw new HttpError(409, 'BUNDLE_CONFLICT', '同一 Bundle.identifier 已用于不同的内容');
    await claimNonce(scope, nonce, nowMs);
    if (m.patientId && m.readingKeys && (await store.missingReadings(m.patientId, m.readingKeys)) > 0) {
      // The first attempt died half-way: finish it exactly as it was decided then.
      const t = { patientId: m.patientId, userId: m.userId!, patientName: m.patientName! };
      // Measured again at the first arrival's time, so readings without a time get the same ids.
      const first = { ...push, sentAt: m.sentAt === undefined ? push.sentAt : m.sentAt || undefined };
      const items = await toItems(kioskId, kiosk.orgId, push, measureKeepingDates(first, m.receivedAt).readings, m.pushId, m.receivedAt);
      await store.batchWrite(personWrites(items, t, alertsFor(items, t)));
      logger.warn('kiosk push completed on re-push', { kioskId, pushId: m.pushId });
    }
    return { bundleId: push.messageId, status: 'duplicate', readings: m.readings, assigned: !!m.patientId, alerts: m.alerts };
  }

  const session = seen.session;
  // A reading known only by its day cannot show it was taken after the binding opened: staff decide.
  const earliest = Math.min(...readings.map((r) => Date.parse(r.effectiveAt)));
  const t: Target | undefined =
    session && earliest >= Date.parse(session.openedAt) - CLOCK_SKEW_MS ? { patientId: session.patientId, userId: session.userId, patientName: session.patientName } : undefined;
  const pushId = `${receivedAt.replace(/[-:.]/g, '')}-${createHash('sha256').update(`${kioskId}|${push.messageId}`).digest('hex').slice(0, 12)}`;
  const items = await toItems(kioskId, kiosk.orgId, push, readings, pushId, receivedAt);
  const alerts = t ? alertsFor(items, t) : [];
  const marker: Marker = {
    pushId,
    contentHash: hash,
    receivedAt,
    sentAt: push.sentAt ?? '',
    ...t,
    readings: items.length,
    alerts: alerts.length,
    ...(t ? { readingKeys: items.map(store.readingSortKey) } : {}),
  };
  await store.batchWrite([
    ...(t ? personWrites(items, t, alerts) : [store.unassignedPut({ pushId, orgId: kiosk.orgId, kioskId, kioskLabel: kiosk.label, receivedAt, readings: items })]),
    store.markerPut(kioskId, push.messageId, marker),
    nonceRow,
  ]);
  logger.info('kiosk push', { kioskId, pushId, format: push.format, readings: items.length, alerts: alerts.length, assigned: !!t });

  if (t && alerts.length && (await store.claimNotice(kioskId, push.messageId))) await tell(t, alerts, kiosk.orgName, kiosk.label);
  return { bundleId: push.messageId, status: 'accepted', readings: items.length, assigned: !!t, alerts: alerts.length };
}

/** A person's items for a push: readings, links to ECG waveforms, alerts. */
export const personWrites = (items: store.ReadingItem[], t: Target, alerts: store.AlertItem[]) => [
  ...items.flatMap((r) => [store.readingPut({ ...r, patientId: t.patientId }), ...(r.waveformKey ? [store.waveformLinkPut(t.patientId, r.readingId, r.waveformKey)] : [])]),
  ...alerts.map(store.alertPut),
];

/** Readings as stored; ECG waveforms go to the blob store first, the item keeps the link. */
async function toItems(kioskId: string, orgId: string, push: PushIn, readings: Measured[], pushId: string, receivedAt: string): Promise<store.ReadingItem[]> {
  return Promise.all(
    readings.map(async (m) => {
      const readingId = stableId('r', kioskId, push.messageId, m.key);
      let waveformKey: string | undefined;
      if (m.waveform) {
        waveformKey = `ecg/${kioskId}/${readingId}.json`;
        await blobs().put(waveformKey, JSON.stringify(m.waveform), 'application/json');
      }
      const { key: _k, waveform: _w, ...rest } = m;
      return { ...rest, readingId, receivedAt, kioskId, orgId, pushId, waveformKey };
    }),
  );
}

export function alertsFor(items: store.ReadingItem[], t: Target): store.AlertItem[] {
  return items
    .filter((r) => raisesAlert(r.severity))
    .map((r) => ({
      alertId: stableId('a', r.readingId, t.patientId),
      patientId: t.patientId,
      patientName: t.patientName,
      userId: t.userId,
      readingId: r.readingId,
      code: r.code,
      display: formatReading(r),
      severity: r.severity,
      label: r.label,
      source: r.source,
      at: r.effectiveAt,
      kioskId: r.kioskId,
      orgId: r.orgId,
    }));
}

/** One message per push, naming the worst result; a live event for an open app. Never throws. */
export async function tell(t: Target, alerts: store.AlertItem[], orgName: string, kioskLabel: string) {
  const worstFirst = [...alerts].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const w = worstFirst[0];
  const more = alerts.length > 1 ? `等${alerts.length}项` : '';
  const critical = w.severity === 'critical';
  await notify(t.userId, 'reading_alert', {
    ref: `reading:${w.readingId}`,
    page: `packages/devices/pages/readings/index?patientId=${encodeURIComponent(t.patientId)}`,
    patientName: t.patientName,
    orgName,
    deptName: kioskLabel,
    doctorName: '',
    time: DATE_ONLY.test(w.at) ? w.at : new Date(w.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }),
    note: `${signName(w.code)} ${w.display}（${w.label}）${more}。${critical ? '危急值：如有不适请立即拨打120或使用紧急求助' : '请注意休息并复测，持续异常请及时就医'}`,
  });
  await publish([userTopic(t.userId)], { type: 'readings.alert', data: { patientId: t.patientId, severity: w.severity, count: alerts.length } });
}
