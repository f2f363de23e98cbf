/**
 * The caller's side of 紧急求助: press, read, add details, cancel.
 *
 * A press is stored with ONE conditional PutItem before anything else; only then is the
 * phone's lock taken (a conditional write, so of two racing presses one leads and the other
 * joins it), an anonymous request counted against its flood sources, the console pushed and the
 * dispatchers' access to the record opened. Any of those later steps may fail: the request is
 * already safe, and the console lists from the table.
 *
 * Capabilities are bound to the request and to the device that pressed: the token names one
 * request and carries the digest of the app's device secret, and works only with that secret.
 * A press for a number that already has an open request joins it fully only from the same device
 * (or the same account); from another device it is linked for the dispatcher and that device gets
 * its own "joined" view: its own press, the request's status, never the first caller's location
 * or words, and nothing it does changes them.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import {
  accuracyText,
  COMPLAINT_LABEL,
  parseCallerPhone,
  type CallerPhone,
  DUPLICATE_WINDOW_SECONDS,
  emergencyTopic,
  EMERGENCY_TRANSITIONS,
  isOpenEmergency,
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
import { deviceTag, isDevice } from './device';
import { countSources, sourcesOf } from './flood';
import { toWgs84 } from './geo';
import { callerView, joinedView } from './views';
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
  // Location first: no number is no reason to wait; the caller may add one as a detail.
  const typed = body.phone ?? patient?.phone;
  const phone = typed ? parseCallerPhone(typed) : undefined;
  if (typed && !phone) throw invalidField('body.phone', '请填写能回拨的电话号码');
  return { userId: principal?.userId, patient: body.patientId ? patient : undefined, phone };
}

/** Where a press came from, as the gateway saw it (for the flood sources). */
export interface PressSource {
  ip?: string;
}

export async function create(principal: Principal | null, body: z.output<typeof CreateEmergencyRequest>, from: PressSource = {}): Promise<EmergencyCreated> {
  const caller = await resolveCaller(principal, body);
  if (body.stationId && !(await store.getStation(body.stationId))) throw invalidField('body.stationId', '所选服务站不存在');

  const now = new Date().toISOString();
  const device = body.device ? deviceTag(body.device) : undefined;
  const e: store.EmergencyItem = {
    id: `em-${randomUUID()}`,
    status: 'received',
    severity: severityOf(body.complaints),
    complaints: [...new Set(body.complaints)],
    text: body.text || undefined,
    place: body.place || undefined,
    stationId: body.stationId,
    phone: caller.phone?.phone,
    phoneCountry: caller.phone?.country,
    callingCode: caller.phone?.callingCode,
    foreign: caller.phone?.foreign,
    userId: caller.userId,
    patientId: caller.patient?.patientId,
    patientName: caller.patient?.name,
    location: body.location,
    wgs84: body.location ? toWgs84(body.location, body.location.coordSystem) : undefined,
    presses: 1,
    device,
    sources: caller.userId ? undefined : sourcesOf({ device, ip: from.ip, phone: caller.phone?.phone }),
    timeline: [{ at: now, kind: 'created', text: `发出求助${body.complaints.length ? `（${labels(body.complaints)}）` : ''}` }],
    createdAt: now,
    updatedAt: now,
  };
  // 1. Durable first. Everything after this line may fail without losing the request.
  await store.putEmergency(e);
  logger.info('emergency stored', { emergency: e.id, severity: e.severity, known: !!e.userId, located: !!e.location, phone: !!e.phone });

  // 2. One request per phone within the window (race-safe through the lock's conditional write).
  const joined = await joinOpenRequest(e).catch((err: unknown) => {
    logger.warn('emergency dedupe failed; kept as its own request', { emergency: e.id, error: (err as Error)?.name });
    return undefined;
  });
  const repeat = joined?.link === 'repeat' ? await store.getEmergency(joined.lead) : undefined;
  const linkedTo = joined?.link === 'linked' ? await store.getEmergency(joined.lead) : undefined;
  // The same device pressing again follows the open request; another device follows its own press.
  const shown = repeat ?? e;
  const cap = device ? await issueEmergencyToken({ emergencyId: shown.id, mayCancel: !linkedTo, device }) : undefined;

  // 3. Count an anonymous new request against its sources, tell the console, open the record to dispatchers.
  if (joined) {
    const lead = (repeat ?? linkedTo)!;
    await runAfter('create', lead.id, { push: () => pushChange(lead, 'emergency.updated') });
  } else {
    await runAfter('create', e.id, { grant: () => openGrant(e), push: () => floodCheck(e).then((flooding) => (flooding ? undefined : pushChange(e, 'emergency.created'))) });
  }

  return {
    id: shown.id,
    status: linkedTo ? linkedTo.status : shown.status,
    attached: !!joined,
    view: linkedTo ? 'joined' : 'caller',
    accessToken: cap?.token,
    accessExpiresAt: cap?.expiresAt,
    topic: emergencyTopic(shown.id),
    createdAt: shown.createdAt,
  };
}

/**
 * An anonymous new request counts against its sources; past a threshold it is marked with that
 * source (the console groups it) and the console is not pushed for it: a flood must not make
 * every console re-read its list hundreds of times (it polls anyway). True when it is flooding.
 */
async function floodCheck(e: store.EmergencyItem): Promise<boolean> {
  if (!e.sources) return false;
  const flooding = await countSources(e.sources).catch((err: unknown) => {
    logger.warn('emergency flood count failed', { emergency: e.id, error: (err as Error)?.name });
    return undefined;
  });
  if (!flooding) return false;
  await store.markFlood(e.id, flooding);
  logger.warn('emergency from a flooding source', { emergency: e.id, group: flooding });
  return true;
}

/** The same caller pressing again: the same device, or the same logged-in account. */
const sameCaller = (e: store.EmergencyItem, lead: store.EmergencyItem) => (!!e.device && e.device === lead.device) || (!!e.userId && e.userId === lead.userId);

/**
 * Joins the phone's open request when there is one (`repeat`: the same caller, whose press adds
 * to it; `linked`: another device, whose press stays its own and is linked for the dispatcher),
 * or undefined to lead.
 */
async function joinOpenRequest(e: store.EmergencyItem): Promise<{ lead: string; link: 'repeat' | 'linked' } | undefined> {
  // Presses are joined by number; a press with no number, by the device that made it.
  const subject = e.phone ?? (e.device ? `device:${e.device}` : undefined);
  if (!subject) return undefined;
  let replacing: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const lock = await store.takePhoneLock(subject, e.id, DUPLICATE_WINDOW_SECONDS, replacing);
    if (lock.taken || !lock.holder || lock.holder === e.id) return undefined;
    const holder = lock.holder;
    const lead = await store.getEmergency(holder);
    if (lead && sameCaller(e, lead)) {
      const text = ['同一号码再次求助', e.complaints.length ? `（${labels(e.complaints)}）` : '', e.text ? `：${e.text}` : ''].join('');
      const entry: store.TimelineItem = { at: e.createdAt, kind: 'repeat', text };
      if (await store.addToOpen(holder, { entry, complaints: e.complaints, press: true })) {
        await store.markMerged(e.id, holder, e.createdAt, 'repeat');
        await store.raiseSeverity(holder, e.severity);
        if (e.location && e.wgs84) await store.updateLocation(holder, e.location, e.wgs84);
        await store.extendPhoneLock(subject, holder, DUPLICATE_WINDOW_SECONDS);
        logger.info('emergency press joined an open request', { emergency: e.id, joined: holder });
        return { lead: holder, link: 'repeat' };
      }
    } else if (lead && (await store.linkPress(holder, e.id, e.createdAt))) {
      // Its own content stays its own; the console shows it under the request, more urgent if it says so.
      await store.markMerged(e.id, holder, e.createdAt, 'linked');
      await store.raiseSeverity(holder, e.severity);
      logger.info('emergency press from another device linked to an open request', { emergency: e.id, linkedTo: holder });
      return { lead: holder, link: 'linked' };
    }
    // The holder's request has ended within the window: this press takes the lock over.
    replacing = holder;
  }
  return undefined;
}

// ── reading and acting as the caller ──

export interface CallerAccess {
  /** The request this caller follows: theirs, or (joined) their own linked press. */
  item: store.EmergencyItem;
  mayCancel: boolean;
  /** joined: the open request this device's press was linked to (only its status is shown). */
  linkedTo?: store.EmergencyItem;
}

const noAccess = () => notFound('求助记录不存在');

/**
 * The caller proves who they are with the capability token from the press together with the
 * device secret it is bound to (`X-Device-Secret`), or (a resident) with their own login.
 * Anything else about someone else's request is a 404: ids are not probed.
 */
export async function callerAccess(id: string, principal: Principal | null, authorization: string | undefined, deviceSecret?: string): Promise<CallerAccess> {
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
  let item: store.EmergencyItem | undefined;
  let mayCancel: boolean;
  if (principal) {
    item = await store.getEmergency(id);
    if (!item || item.userId !== principal.userId) throw noAccess();
    mayCancel = true;
  } else {
    if (!bearer) throw new HttpError(401, 'UNAUTHENTICATED', '请使用求助时获得的凭证');
    const cap = await verifyEmergencyToken(bearer);
    // Bound to the device that pressed: a token copied, leaked or replayed elsewhere opens nothing.
    if (!isDevice(deviceSecret, cap.device)) throw new HttpError(401, 'DEVICE_MISMATCH', '求助凭证只能在发出求助的手机上使用；如需帮助请拨打 120');
    item = cap.emergencyId === id ? await store.getEmergency(id) : undefined;
    if (!item) throw noAccess();
    mayCancel = cap.mayCancel;
  }
  if (item.status === 'merged' && item.mergedInto) {
    const lead = await store.getEmergency(item.mergedInto);
    if (!lead) throw noAccess();
    // The same account's repeat follows the request itself; anything else sees only its own press.
    if (principal && lead.userId === principal.userId) return { item: lead, mayCancel: true };
    return { item, mayCancel: false, linkedTo: lead };
  }
  return { item, mayCancel };
}

/** What the caller reads: the request, or (joined) their own press with the linked request's status. */
export const viewOf = (a: CallerAccess): CallerEmergencyView => (a.linkedTo ? joinedView(a.item, a.linkedTo) : callerView(a.item, a.mayCancel));

export async function addDetails(access: CallerAccess, body: z.output<typeof AddEmergencyDetailsRequest>): Promise<CallerEmergencyView> {
  const { item } = access;
  const parts = [
    body.text ? `补充：${body.text}` : '',
    body.complaints ? `补充症状：${labels(body.complaints)}` : '',
    body.location ? `更新了位置（${accuracyText(body.location.accuracy)}）` : '',
    body.place ? `位置描述：${body.place}` : '',
    body.phone ? '留下了回拨电话' : '',
  ].filter(Boolean);
  const phone = body.phone ? parseCallerPhone(body.phone) : undefined;
  if (body.phone && !phone) throw invalidField('body.phone', '请填写能回拨的电话号码');
  const entry: store.TimelineItem = { at: new Date().toISOString(), kind: 'details', text: parts.join('；') };
  if (access.linkedTo) return addToLinked(access, access.linkedTo, body, entry, phone);
  if (!(await store.addToOpen(item.id, { entry, complaints: body.complaints }))) throw ended();
  await addCallerFacts(item.id, phone, body.place);
  if (body.complaints) await store.raiseSeverity(item.id, severityOf(body.complaints));
  if (body.location) await store.updateLocation(item.id, body.location, toWgs84(body.location, body.location.coordSystem));
  const after = (await store.getEmergency(item.id))!;
  await runAfter('details', item.id, { push: () => pushChange(after, 'emergency.updated') });
  return callerView(after, access.mayCancel);
}

/**
 * A joined device adds to its own press only: the dispatcher reads it under the request (which
 * becomes more urgent if it says so), and the first caller's location and words stay as they are.
 */
async function addToLinked(access: CallerAccess, lead: store.EmergencyItem, body: z.output<typeof AddEmergencyDetailsRequest>, entry: store.TimelineItem, phone?: CallerPhone): Promise<CallerEmergencyView> {
  const own = access.item;
  const now = await store.getEmergency(lead.id);
  if (!now || !isOpenEmergency(now.status)) throw ended();
  const location = body.location ? { location: body.location, wgs84: toWgs84(body.location, body.location.coordSystem) } : undefined;
  if (!(await store.addToLinked(own.id, { entry, complaints: body.complaints }, location))) throw ended();
  await addCallerFacts(own.id, phone, body.place);
  if (body.complaints) await store.raiseSeverity(lead.id, severityOf(body.complaints));
  await store.touch(lead.id, entry.at);
  const [after, leadAfter] = await Promise.all([store.getEmergency(own.id), store.getEmergency(lead.id)]);
  await runAfter('details', lead.id, { push: () => pushChange(leadAfter ?? now, 'emergency.updated') });
  return joinedView(after!, leadAfter ?? now);
}

export async function cancel(access: CallerAccess, reason: string | undefined): Promise<CallerEmergencyView> {
  if (!access.mayCancel || access.linkedTo) throw forbidden('只有发起求助的人可以取消；如需帮助请拨打 120');
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

/** The number and the place in words, given after the press: kept on the request itself. */
async function addCallerFacts(id: string, phone: CallerPhone | undefined, place: string | undefined) {
  if (phone) await store.setPhone(id, { phone: phone.phone, phoneCountry: phone.country, callingCode: phone.callingCode, foreign: phone.foreign });
  if (place) await store.setPlace(id, place);
}

const ended = () => conflict('EMERGENCY_STATE', '本次求助已结束或救援人员已到达，无法修改。如仍需帮助请拨打 120');
