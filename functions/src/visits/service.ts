/**
 * Visits: start a consultation, list, join (Agora token), end / cancel / no-show, invite.
 * Every state change is one conditional write (store.transition); joining never reads a
 * status and then writes it blindly.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  canApplyVisit,
  isFinishedVisit,
  JOIN_REFUSAL_LABEL,
  joinRefusal,
  joinWindow,
  localDate,
  ROOM_MAX_SECONDS,
  toLocalIso,
  tokenSeconds,
  VISIT_STATUS_LABEL,
  type CreateVisitRequest,
  type JoinResponse,
  type VisitStatus,
} from '@hospital/shared';
import type * as z from 'zod';
import { config } from '#lib/config';
import { hasRoleIn } from '#lib/authority';
import { conflict, forbidden, HttpError, invalidField } from '#lib/errors';
import { logger } from '#lib/logger';
import { agoraConfig, rtcToken } from '#lib/providers/agora';
import { isProviderError } from '#lib/providers/errors';
import { publish, userTopic } from '#lib/realtime';
import type { Principal } from '#lib/tokens';
import { doctorOfUser, getDepartment, getDoctor, getOrg } from '../catalog/store';
import { getPatient } from '../patients/service';
import { audit, granteesOf, isActive } from '../records/access';
import { listGrants } from '../records/store';
import { billPrescription, billsOf } from './billing';
import { syncAccount, syncDoctorDay } from './from-appointments';
import { AFTER_VISIT_ACCESS_MINUTES, grantParticipants } from './grants';
import * as store from './store';
import { listItem, participantOf, visitFor, visitView } from './view';

export const loadVisit = (p: Principal, visitId: string) => visitFor(p, visitId, store.getVisit);

async function notifyParticipants(v: store.VisitItem, status: VisitStatus) {
  const topics = [...new Set(v.participants.map((p) => userTopic(p.role === 'patient' ? v.accountUserId : p.userId)))];
  await publish(topics, { type: 'visit', data: { visitId: v.id, status } });
}

export async function get(p: Principal, visitId: string) {
  const { visit, me } = await loadVisit(p, visitId);
  const record = (await store.getVisitRecord(visit.id))!;
  // Self-healing: an approval whose bill could not be issued then gets it now (same bill id).
  for (const rx of record.prescriptions) {
    if (rx.status !== 'approved' || rx.billId) continue;
    rx.billId = await billPrescription(visit, rx);
    if (rx.billId) await store.setPrescriptionBill(visit.id, rx.rxId, rx.billId);
  }
  return visitView(record, me, await billsOf(record));
}

export async function mine(userId: string, filter: 'upcoming' | 'past' | 'all') {
  await syncAccount(userId);
  const now = Date.now();
  const items = (await store.listByAccount(userId)).filter((v) => {
    if (filter === 'all') return true;
    const upcoming = !isFinishedVisit(v.status) && now < joinWindow(v).closesAt;
    return filter === 'upcoming' ? upcoming : !upcoming;
  });
  // Upcoming: soonest first; past: latest first.
  if (filter === 'upcoming') items.reverse();
  return { items: items.map((v) => listItem(v, v.participants.find((x) => x.role === 'patient'), now)) };
}

export async function staffDay(p: Principal, date = localDate()) {
  await syncDoctorDay(p.userId, date);
  const items = await store.listByStaffDay(p.userId, date);
  items.sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
  return { date, items: items.map((v) => listItem(v, participantOf(v, p))) };
}

/**
 * The host must already have a basis to look at the patient's record (a consent to them or their
 * organisation, or an active visit): starting a consultation opens the record to the invited
 * specialists, so it cannot be the way a stranger gets in. The check is audited either way.
 */
async function assertHostMayConsult(p: Principal, patientId: string) {
  const mine = new Set(granteesOf(p));
  const grants = await listGrants(patientId);
  const basis = grants.find((g) => isActive(g) && mine.has(g.grantee) && g.scopes.includes('record') && (g.purpose === 'consultation' || g.purpose === 'treatment'));
  const read = { principal: p, patientId, scope: 'record' as const, purpose: 'consultation' as const, resource: 'visit:create' };
  await audit(read, basis ? 'allowed' : 'refused', basis ? `${basis.source}:${basis.sourceId ?? basis.grantId}` : undefined);
  if (!basis) throw forbidden('需要患者授权本院（或您）查看健康档案后才能发起会诊');
}

async function doctorParticipant(doctorId: string, role: 'host' | 'specialist', uid: number): Promise<store.Participant> {
  const d = await getDoctor(doctorId);
  if (!d?.userId) throw invalidField('body.participants', `医生 ${doctorId} 不存在或未开通账号`);
  const org = await getOrg(d.orgId);
  return { userId: d.userId, doctorId: d.id, name: d.name, title: d.title, orgId: d.orgId, orgName: org?.name ?? '', role, uid };
}

export async function create(p: Principal, body: z.output<typeof CreateVisitRequest>) {
  const host = await doctorOfUser(p.userId);
  if (!host) throw forbidden('您的账号未关联医生信息，不能发起会诊');
  // The consultation is held for the host's organisation: they must be its doctor.
  if (!hasRoleIn(p, host.orgId, 'doctor')) throw forbidden('您不是该医生所属机构的医生，不能以其名义发起会诊');
  const patient = await getPatient(body.patientId);
  if (!patient) throw invalidField('body.patientId', '就诊人不存在');
  const startsAt = Date.parse(body.scheduledAt);
  if (startsAt < Date.now() - 5 * 60_000) throw invalidField('body.scheduledAt', '会诊时间不能早于现在');
  if (startsAt > Date.now() + 30 * 86_400_000) throw invalidField('body.scheduledAt', '只能预约30天内的会诊');
  const invited = [...new Set(body.participants)].filter((id) => id !== host.id);
  if (invited.length === 0) throw invalidField('body.participants', '请邀请至少一位其他医生');
  await assertHostMayConsult(p, patient.patientId);

  const [org, dept] = await Promise.all([getOrg(host.orgId), getDepartment(host.deptId)]);
  const participants: store.Participant[] = [
    { userId: patient.userId, name: patient.name, role: 'patient', uid: 1 },
    { userId: p.userId, doctorId: host.id, name: host.name, title: host.title, orgId: host.orgId, orgName: org?.name ?? '', role: 'host', uid: 2 },
  ];
  for (const id of invited) participants.push(await doctorParticipant(id, 'specialist', participants.length + 1));
  const at = toLocalIso(Date.now());
  const v: store.VisitItem = {
    id: `vs-${randomUUID()}`,
    kind: 'consultation',
    status: 'scheduled',
    patientId: patient.patientId,
    patientName: patient.name,
    accountUserId: patient.userId,
    reason: body.reason,
    orgId: host.orgId,
    orgName: org?.name ?? '',
    deptName: dept?.name ?? '远程会诊',
    scheduledAt: toLocalIso(startsAt),
    endsAt: toLocalIso(startsAt + body.durationMinutes * 60_000),
    participants,
    nextUid: participants.length + 1,
    lastJoined: {},
    createdBy: p.userId,
    createdAt: at,
    updatedAt: at,
  };
  await store.createVisit(v);
  await grantParticipants(v);
  logger.info('consultation created', { visit: v.id, by: p.userId, specialists: invited.length });
  await notifyParticipants(v, v.status);
  return get(p, v.id);
}

export async function invite(p: Principal, visitId: string, doctorId: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { visit } = await loadVisit(p, visitId);
    if (isFinishedVisit(visit.status)) throw conflict('VISIT_FINISHED', `问诊${VISIT_STATUS_LABEL[visit.status]}，不能再邀请`);
    const d = await getDoctor(doctorId);
    if (d?.userId && visit.participants.some((x) => x.userId === d.userId)) return get(p, visitId);
    const added = await doctorParticipant(doctorId, 'specialist', visit.nextUid);
    if (await store.addParticipant(visit, added, toLocalIso(Date.now()))) {
      const after = (await store.getVisit(visit.id))!;
      await grantParticipants(after);
      await notifyParticipants(after, after.status);
      return get(p, visitId);
    }
  }
  throw conflict('VISIT_STATE_CHANGED', '会诊信息刚刚被修改，请刷新后再试');
}

const freshRoom = (now: number): store.Room => ({
  // 128 random bits: a channel name cannot be guessed from the visit or the time.
  channel: `v${randomBytes(16).toString('hex')}`,
  createdAt: toLocalIso(now),
  expiresAt: toLocalIso(now + ROOM_MAX_SECONDS * 1000),
});

const VIDEO_OFF_HINT = '本地环境未配置视频服务：视频通话需要配置 AGORA_APP_ID 和 AGORA_APP_CERTIFICATE（声网）。问诊的其余功能可正常使用。';

export async function join(p: Principal, visitId: string): Promise<JoinResponse> {
  let { visit, me } = await loadVisit(p, visitId);
  const now = Date.now();
  const refusal = joinRefusal(visit, now);
  if (refusal === 'VISIT_FINISHED') throw conflict('VISIT_FINISHED', `本次问诊${VISIT_STATUS_LABEL[visit.status]}`);
  if (refusal) throw new HttpError(403, refusal, JOIN_REFUSAL_LABEL[refusal]);

  // The patient arriving opens the waiting room; a doctor arriving starts the visit.
  const event = me.role === 'patient' ? 'patient_join' : 'doctor_join';
  const at = toLocalIso(now);
  if (canApplyVisit(visit.status, event)) {
    const moved = await store.transition(visit.id, event, event === 'doctor_join' ? { startedAt: at } : {}, at);
    visit = (await store.getVisit(visit.id))!;
    if (!moved && isFinishedVisit(visit.status)) throw conflict('VISIT_FINISHED', `本次问诊${VISIT_STATUS_LABEL[visit.status]}`);
    if (moved) await notifyParticipants(visit, visit.status);
  }

  // A room lives ROOM_MAX_SECONDS; whoever joins after that gets a fresh channel (and so does everyone after them).
  if (!visit.room || Date.parse(visit.room.expiresAt) <= now) visit = await store.setRoom(visit.id, freshRoom(now), visit.room?.channel);
  const room = visit.room!;
  await store.markJoined(visit.id, p.userId, at);
  logger.info('visit joined', { visit: visit.id, role: me.role, uid: me.uid, rejoin: !!visit.lastJoined?.[p.userId] });

  const seconds = tokenSeconds(joinWindow(visit).closesAt, Date.parse(room.expiresAt), now);
  let video;
  try {
    video = await agoraConfig();
  } catch (e) {
    if (!isProviderError(e, 'CONFIG')) throw e;
    logger.error('video misconfigured', { reason: e.message });
    throw new HttpError(503, 'VIDEO_UNAVAILABLE', '视频服务配置有误，请联系医院信息科');
  }
  if (video.state === 'missing') {
    if (!config.isLocal) throw new HttpError(503, 'VIDEO_UNAVAILABLE', '视频服务未开通，请联系医院信息科');
    return { appId: null, token: null, channel: room.channel, uid: me.uid, expiresAt: toLocalIso(now + seconds * 1000), status: visit.status, videoHint: VIDEO_OFF_HINT };
  }
  const t = rtcToken(video.credentials, room.channel, me.uid, seconds, now);
  return { appId: video.credentials.appId, token: t.token, channel: room.channel, uid: me.uid, expiresAt: toLocalIso(t.expiresAt * 1000), status: visit.status };
}

/**
 * Ending, cancelling and marking a no-show belong to the host (the doctor who holds the visit or
 * started the consultation); an invited specialist leaves the room instead, and the consultation
 * goes on without them.
 */
async function doctorTransition(p: Principal, visitId: string, event: 'end' | 'cancel' | 'no_show', set: Record<string, unknown>) {
  const { visit, me } = await loadVisit(p, visitId);
  if (me.role === 'patient') throw forbidden('只有参与医生可以操作');
  if (me.role !== 'host') throw new HttpError(403, 'HOST_ONLY', '只有发起会诊的医生可以结束或取消会诊；您可以直接离开诊室');
  const target = { end: 'ended', cancel: 'cancelled', no_show: 'no_show' }[event];
  if (visit.status === target) return visit;
  if (!canApplyVisit(visit.status, event)) throw conflict('VISIT_STATE_CHANGED', `问诊${VISIT_STATUS_LABEL[visit.status]}，不能进行此操作`);
  const ok = await store.transition(visit.id, event, set, toLocalIso(Date.now()));
  const after = (await store.getVisit(visit.id))!;
  if (!ok && after.status !== target) throw conflict('VISIT_STATE_CHANGED', `问诊${VISIT_STATUS_LABEL[after.status]}，请刷新后再试`);
  if (ok) {
    // Ended: a little longer for notes and prescriptions; cancelled / no-show: closed now.
    await grantParticipants(after, event === 'end' ? Date.now() + AFTER_VISIT_ACCESS_MINUTES * 60_000 : Date.now());
    logger.info('visit status', { visit: visit.id, status: after.status, by: p.userId });
    await notifyParticipants(after, after.status);
  }
  return after;
}

export async function end(p: Principal, visitId: string) {
  await doctorTransition(p, visitId, 'end', { endedAt: toLocalIso(Date.now()) });
  return get(p, visitId);
}

export async function cancel(p: Principal, visitId: string, reason: string) {
  await doctorTransition(p, visitId, 'cancel', { cancelReason: reason });
  return get(p, visitId);
}

export async function noShow(p: Principal, visitId: string) {
  const { visit } = await loadVisit(p, visitId);
  if (visit.status === 'scheduled' && Date.now() < Date.parse(visit.scheduledAt)) throw conflict('TOO_EARLY', '预约时间未到，不能标记为未到');
  await doctorTransition(p, visitId, 'no_show', {});
  return get(p, visitId);
}

