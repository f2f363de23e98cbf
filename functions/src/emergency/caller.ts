/**
 * The caller's side of 紧急求助: press, read, add details, cancel.
 *
 * A press is stored with ONE conditional PutItem before anything else; only then is the
 * phone's lock taken (a conditional write, so of two racing presses one leads and the other
 * joins it), the console pushed and the dispatchers' access to the record opened. Any of those
 * later steps may fail: the request is already safe, and the console lists from the table.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import {
  COMPLAINT_LABEL,
  DUPLICATE_WINDOW_SECONDS,
  emergencyTopic,
  EMERGENCY_TRANSITIONS,
  severityOf,
  type AddEmergencyDetailsRequest,
  type CallerEmergencyView,
  type Complaint,
  type CreateEmergencyRequest,
  type EmergencyCreated,
} from '@hospital/shared';
import { conflict, forbidden, HttpError, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { issueEmergencyToken, verifyEmergencyToken, type Principal } from '#lib/tokens';
import { getPatient, list as listPatients, requireOwnPatient, type PatientItem } from '../patients/service';
import { closeGrant, openGrant, pushChange, runAfter } from './after';
import { toWgs84 } from './geo';
import { callerView } from './views';
import * as store from './store';

const labels = (c: readonly Complaint[]) => c.map((x) => COMPLAINT_LABEL[x]).join('、');

/** Who is pressing: a known account (optional) and the phone the dispatcher will call back. */
async function resolveCaller(principal: Principal | null, body: z.output<typeof CreateEmergencyRequest>) {
  let patient: PatientItem | undefined;
  if (body.patientId) {
    if (!principal) throw invalidField('body.patientId', '登录后才能选择就诊人');
    patient = await requireOwnPatient(principal.userId, body.patientId);
  } else if (principal && !body.phone) {
    // A logged-in resident who typed nothing: the phone of the account holder themself.
    const self = (await listPatients(principal.userId)).items.find((p) => p.relation === 'self');
    if (self) patient = await getPatient(self.id);
  }
  const phone = body.phone ?? patient?.phone;
  if (!phone) throw invalidField('body.phone', '请填写手机号，调度员会回拨确认');
  return { userId: principal?.userId, patient: body.patientId ? patient : undefined, phone };
}

export async function create(principal: Principal | null, body: z.output<typeof CreateEmergencyRequest>): Promise<EmergencyCreated> {
  const caller = await resolveCaller(principal, body);
  if (body.stationId && !(await store.getStation(body.stationId))) throw invalidField('body.stationId', '所选服务站不存在');

  const now = new Date().toISOString();
  const e: store.EmergencyItem = {
    id: `em-${randomUUID()}`,
    status: 'received',
    severity: severityOf(body.complaints),
    complaints: [...new Set(body.complaints)],
    text: body.text || undefined,
    place: body.place || undefined,
    stationId: body.stationId,
    phone: caller.phone,
    userId: caller.userId,
    patientId: caller.patient?.patientId,
    patientName: caller.patient?.name,
    location: body.location,
    wgs84: body.location ? toWgs84(body.location, body.location.coordSystem) : undefined,
    presses: 1,
    timeline: [{ at: now, kind: 'created', text: `发出求助${body.complaints.length ? `（${labels(body.complaints)}）` : ''}` }],
    createdAt: now,
    updatedAt: now,
  };
  // 1. Durable first. Everything after this line may fail without losing the request.
  await store.putEmergency(e);
  logger.info('emergency stored', { emergency: e.id, severity: e.severity, known: !!e.userId });

  // 2. One request per phone within the window (race-safe through the lock's conditional write).
  const joined = await joinOpenRequest(e).catch((err: unknown) => {
    logger.warn('emergency dedupe failed; kept as its own request', { emergency: e.id, error: (err as Error)?.name });
    return undefined;
  });
  const lead = joined ? await store.getEmergency(joined) : undefined;
  const shown = lead ?? e;
  // The first presser (or the same account) may cancel; someone else typing the same number may not.
  const mayCancel = !lead || (!!caller.userId && lead.userId === caller.userId);
  const cap = await issueEmergencyToken({ emergencyId: shown.id, mayCancel });

  // 3. Tell the console and open the record to dispatchers.
  await runAfter('create', shown.id, lead ? { push: () => pushChange(lead, 'emergency.updated') } : { grant: () => openGrant(e), push: () => pushChange(e, 'emergency.created') });

  return { id: shown.id, status: shown.status, attached: !!lead, accessToken: cap.token, accessExpiresAt: cap.expiresAt, topic: emergencyTopic(shown.id), createdAt: shown.createdAt };
}

/** Joins the phone's open request when there is one; returns its id, or undefined to lead. */
async function joinOpenRequest(e: store.EmergencyItem): Promise<string | undefined> {
  let replacing: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const lock = await store.takePhoneLock(e.phone, e.id, DUPLICATE_WINDOW_SECONDS, replacing);
    if (lock.taken || !lock.holder || lock.holder === e.id) return undefined;
    const text = ['同一号码再次求助', e.complaints.length ? `（${labels(e.complaints)}）` : '', e.text ? `：${e.text}` : ''].join('');
    const entry: store.TimelineItem = { at: e.createdAt, kind: 'repeat', text };
    if (await store.addToOpen(lock.holder, { entry, complaints: e.complaints, press: true })) {
      const holder = lock.holder;
      await store.markMerged(e.id, holder, e.createdAt);
      await store.raiseSeverity(holder, e.severity);
      if (e.location && e.wgs84) await store.updateLocation(holder, e.location, e.wgs84);
      await store.extendPhoneLock(e.phone, holder, DUPLICATE_WINDOW_SECONDS);
      logger.info('emergency press joined an open request', { emergency: e.id, joined: holder });
      return holder;
    }
    // The holder's request has ended within the window: this press takes the lock over.
    replacing = lock.holder;
  }
  return undefined;
}

// ── reading and acting as the caller ──

export interface CallerAccess {
  item: store.EmergencyItem;
  mayCancel: boolean;
}

/**
 * The caller proves who they are with the capability token from the press, or (a resident)
 * with their own login. Anything else about someone else's request is a 404: ids are not probed.
 */
export async function callerAccess(id: string, principal: Principal | null, authorization: string | undefined): Promise<CallerAccess> {
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
  if (principal) {
    const item = await store.getEmergency(id);
    if (!item || item.userId !== principal.userId) throw notFound('求助记录不存在');
    return { item, mayCancel: true };
  }
  if (!bearer) throw new HttpError(401, 'UNAUTHENTICATED', '请使用求助时获得的凭证');
  const cap = await verifyEmergencyToken(bearer);
  const item = cap.emergencyId === id ? await store.getEmergency(id) : undefined;
  if (!item) throw notFound('求助记录不存在');
  return { item, mayCancel: cap.mayCancel };
}

export async function addDetails(access: CallerAccess, body: z.output<typeof AddEmergencyDetailsRequest>): Promise<CallerEmergencyView> {
  const { item } = access;
  const parts = [
    body.text ? `补充：${body.text}` : '',
    body.complaints ? `补充症状：${labels(body.complaints)}` : '',
    body.location ? `更新了位置（精度约 ${Math.round(body.location.accuracy)} 米）` : '',
  ].filter(Boolean);
  const entry: store.TimelineItem = { at: new Date().toISOString(), kind: 'details', text: parts.join('；') };
  if (!(await store.addToOpen(item.id, { entry, complaints: body.complaints }))) throw ended();
  if (body.complaints) await store.raiseSeverity(item.id, severityOf(body.complaints));
  if (body.location) await store.updateLocation(item.id, body.location, toWgs84(body.location, body.location.coordSystem));
  const after = (await store.getEmergency(item.id))!;
  await runAfter('details', item.id, { push: () => pushChange(after, 'emergency.updated') });
  return callerView(after, access.mayCancel);
}

export async function cancel(access: CallerAccess, reason: string | undefined): Promise<CallerEmergencyView> {
  if (!access.mayCancel) throw forbidden('只有发起求助的人可以取消；如需帮助请拨打 120');
  const t = EMERGENCY_TRANSITIONS.cancel;
  const after = await store.transition(access.item.id, {
    from: t.from,
    to: t.to,
    entry: { at: new Date().toISOString(), kind: 'cancel', text: `求助人取消了求助${reason ? `：${reason}` : ''}` },
  });
  if (!after) throw ended();
  await runAfter('cancel', after.id, { grant: () => closeGrant(after), push: () => pushChange(after, 'emergency.updated') });
  return callerView(after, access.mayCancel);
}

const ended = () => conflict('EMERGENCY_STATE', '本次求助已结束或救援人员已到达，无法修改。如仍需帮助请拨打 120');
