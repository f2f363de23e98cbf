/**
 * Reading kiosk data back: a patient for the people on their account; staff with a grant
 * (audited); staff of the kiosk's organisation for its alerts and for readings nobody was bound
 * for, which they give to the right person by ID number and name.
 */
import * as z from 'zod';
import {
  formatReading,
  signName,
  TREND_SIGNS,
  validateIdCard,
  VitalCodes,
  Waveform,
  type AccessPurpose,
  type AlertView,
  type AssignRequest,
  type ReadingsQuery,
  type ReadingView,
  type UnassignedPushView,
} from '@hospital/shared';
import { orgsWithRole } from '#lib/authority';
import { conflict, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import { findByPersonKey, personKey } from '../patients/store';
import { requireVerifiedPerson } from '../identity/access';
import { audit, authorizeStaffRead } from '../records/access';
import { blobs } from './blobs';
import { alertsFor, personWrites, tell } from './ingest';
import * as store from './store';

type Query = z.output<typeof ReadingsQuery>;

export const readingView = (r: store.ReadingItem): ReadingView => ({
  id: r.readingId,
  code: r.code,
  name: signName(r.code),
  value: r.value,
  valueText: r.valueText,
  systolic: r.systolic,
  diastolic: r.diastolic,
  unit: r.unit,
  display: formatReading(r),
  effectiveAt: r.effectiveAt,
  receivedAt: r.receivedAt,
  kioskId: r.kioskId,
  orgId: r.orgId,
  severity: r.severity,
  label: r.label,
  source: r.source,
  panel: r.panel,
  hasWaveform: r.waveformKey ? true : undefined,
  emergency: r.severity === 'critical',
});

const alertView = (a: store.AlertItem): AlertView => ({
  id: a.alertId,
  patientId: a.patientId,
  patientName: a.patientName,
  readingId: a.readingId,
  code: a.code,
  name: signName(a.code),
  display: a.display,
  severity: a.severity,
  label: a.label,
  source: a.source,
  at: a.at,
  kioskId: a.kioskId,
  orgId: a.orgId,
  emergency: a.severity === 'critical',
});

// Keys hold UTC instants; a query may give any offset.
const utc = (q: Query) => ({ code: q.code, from: q.from && new Date(q.from).toISOString(), to: q.to && new Date(q.to).toISOString() });

async function readings(patientId: string, q: Query) {
  const items = await store.readingsOf(patientId, utc(q));
  return { items: items.map(readingView) };
}

export async function ownReadings(userId: string, patientId: string, q: Query) {
  await requireVerifiedPerson(userId, patientId);
  return readings(patientId, q);
}

export async function ownLatest(userId: string, patientId: string) {
  await requireVerifiedPerson(userId, patientId);
  const codes = [...TREND_SIGNS, VitalCodes.ecgRhythm, VitalCodes.ecgWaveform];
  const latest = await Promise.all(codes.map((c) => store.latestOf(patientId, c)));
  return { items: latest.filter((r): r is store.ReadingItem => !!r).map(readingView) };
}

export async function ownAlerts(userId: string, patientId: string) {
  await requireVerifiedPerson(userId, patientId);
  return { items: (await store.alertsOf(patientId)).map(alertView) };
}

export async function ownWaveform(userId: string, patientId: string, readingId: string): Promise<z.output<typeof Waveform>> {
  await requireVerifiedPerson(userId, patientId);
  const key = /^r-[0-9a-f]{20}$/.test(readingId) ? await store.waveformKeyOf(patientId, readingId) : undefined;
  const raw = key ? await blobs().get(key) : undefined;
  if (!raw) throw notFound('没有该心电图波形');
  const w = JSON.parse(raw) as { periodMs: number; factor: number; origin: number; unit: string; leads: { name: string; data: string }[] };
  return { readingId, periodMs: w.periodMs, factor: w.factor, origin: w.origin, unit: w.unit, leads: w.leads.map((l) => ({ name: l.name, samples: l.data.trim().split(/\s+/).map(Number) })) };
}

export async function staffReadings(principal: Principal, patientId: string, q: Query & { purpose: AccessPurpose }) {
  await authorizeStaffRead({ principal, patientId, scope: 'readings', purpose: q.purpose, resource: q.code ? `readings:${q.code}` : 'readings' });
  return readings(patientId, q);
}

/** The organisations whose kiosks the caller looks after (doctors and nurses there). */
const kioskOrgs = (principal: Principal) => orgsWithRole(principal, 'doctor', 'nurse');

/** Alerts from the kiosks of the caller's organisations. Each person shown is an audited read (basis: the kiosk's organisation). */
export async function staffAlerts(principal: Principal) {
  const items: store.AlertItem[] = [];
  for (const orgId of kioskOrgs(principal)) {
    const mine = await store.alertsOfOrg(orgId);
    for (const patientId of new Set(mine.map((a) => a.patientId))) {
      await audit({ principal, patientId, scope: 'readings', purpose: 'follow_up', resource: 'alerts' }, 'allowed', `kiosk-org:${orgId}`);
    }
    items.push(...mine);
  }
  items.sort((a, b) => b.at.localeCompare(a.at));
  return { items: items.map(alertView) };
}

export async function unassigned(principal: Principal): Promise<{ items: UnassignedPushView[] }> {
  const items = (await Promise.all(kioskOrgs(principal).map((o) => store.unassignedOf(o)))).flat();
  items.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  return {
    items: items.map((u) => ({ id: u.pushId, kioskId: u.kioskId, kioskLabel: u.kioskLabel, orgId: u.orgId, receivedAt: u.receivedAt, readings: u.readings.map(readingView) })),
  };
}

/**
 * Gives an unassigned push to the person with this ID number and name (on every account that has
 * them). The readings are written before the unassigned entry is removed, so a failure half-way
 * loses nothing, and a retry writes the same ids again.
 */
export async function assign(principal: Principal, pushId: string, body: z.output<typeof AssignRequest>) {
  if (!/^[\w-]{1,80}$/.test(pushId)) throw notFound('该条记录不存在或已分配');
  const id = validateIdCard(body.idNumber);
  if (!id.ok) throw invalidField('body.idNumber', id.message);
  // Only the caller's organisations are looked in: another organisation's push is not found.
  let push: store.UnassignedItem | undefined;
  for (const o of kioskOrgs(principal)) if (!push) push = await store.getUnassigned(o, pushId);
  if (!push) throw notFound('该条记录不存在或已分配');
  const orgId = push.orgId;
  const people = (await findByPersonKey(personKey(id.idNumber))).filter((p) => p.name === body.name);
  if (!people.length) throw invalidField('body.idNumber', '没有找到该身份证号和姓名的就诊人：请对方先在小程序中添加就诊人');

  if (!(await store.reserveUnassigned(orgId, pushId, personKey(id.idNumber)))) throw conflict('ALREADY_ASSIGNED', '该条记录已被分配给其他人');

  const writes = [];
  const told: { t: { patientId: string; userId: string; patientName: string }; alerts: store.AlertItem[] }[] = [];
  for (const p of people) {
    const t = { patientId: p.patientId, userId: p.userId, patientName: p.name };
    const alerts = alertsFor(push.readings, t);
    told.push({ t, alerts });
    writes.push(...personWrites(push.readings, t, alerts));
  }
  await store.batchWrite(writes);
  // Already gone: a concurrent retry for the same person finished first (same ids, same result).
  if (!(await store.takeUnassigned(orgId, pushId))) return { pushId, readings: push.readings.length, people: people.length };
  for (const p of people) {
    await audit({ principal, patientId: p.patientId, scope: 'readings', purpose: 'follow_up', resource: `assign:${pushId}` }, 'allowed', `kiosk-org:${orgId}`);
  }
  logger.info('kiosk push assigned', { pushId, orgId, people: people.length, by: principal.userId });
  for (const { t, alerts } of told) if (alerts.length) await tell(t, alerts, '', push.kioskLabel);
  return { pushId, readings: push.readings.length, people: people.length };
}
