/**
 * The 120 dispatch console: the list, one request in full (where, who, health summary under
 * the emergency grant — every read audited), and the dispatcher's actions. A state change and
 * its timeline entry are one conditional write, so two dispatchers cannot both act on the same
 * state; the second gets 409 EMERGENCY_STATE and the current state.
 */
import type * as z from 'zod';
import {
  ageOn,
  DEFAULT_ESCALATE_AFTER_SECONDS,
  EMERGENCY_ACTION_LABEL,
  EMERGENCY_STATUS_SHORT,
  EMERGENCY_TRANSITIONS,
  isOpenEmergency,
  localDate,
  type ConsoleEmergencyView,
  type DismissFloodRequest,
  type DispatcherActionRequest,
  type FloodGroupView,
  type LinkedPressView,
} from '@hospital/shared';
import { conflict, HttpError, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { publish, roleTopic } from '#lib/realtime';
import type { Principal } from '#lib/tokens';
import { authorizeStaffRead } from '../records/access';
import { healthSummary } from '../records/service';
import { getPatient } from '../patients/service';
import { closeGrant, openGrant, pushChange, runAfter } from './after';
import { groupFloods, type FloodGroup } from './flood';
import { bothDatums, mapLinks, nearestStations } from './geo';
import * as store from './store';
import { consoleOrder, listItem } from './views';

/** How long a new request may wait unacknowledged (configuration; 10 s to 1 h). */
export function escalateAfterSeconds(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.SOS_ESCALATE_AFTER_SECONDS);
  return Number.isInteger(n) && n >= 5 && n <= 3600 ? n : DEFAULT_ESCALATE_AFTER_SECONDS;
}

/** Members shown per flood group in the list (the count has them all). */
const GROUP_MEMBERS_SHOWN = 200;

const row = (e: store.EmergencyItem, stations: readonly store.StationItem[], flood = false) => {
  const { nearestStations: _n, ...r } = listItem(e, stations, flood);
  return r;
};

function groupView(g: FloodGroup, stations: readonly store.StationItem[]): FloodGroupView {
  return {
    id: g.id,
    source: g.source,
    label: g.label,
    count: g.members.length,
    open: g.members.filter((e) => e.status === 'received').length,
    firstAt: g.members[g.members.length - 1].createdAt,
    lastAt: g.members[0].createdAt,
    members: g.members.slice(0, GROUP_MEMBERS_SHOWN).map((e) => row(e, stations, true)),
  };
}

/**
 * Requests from normal sources first (open first, most severe, newest); anonymous requests from a
 * flooding source after them, each source collapsed into one group (emergency/flood.ts).
 */
export async function list(scope: 'open' | 'recent') {
  const now = Date.now();
  const [stations, items] = await Promise.all([
    store.listStations(),
    scope === 'open' ? store.listOpen() : store.listByDays([localDate(now), localDate(now - 86_400_000)]),
  ]);
  const dayAgo = new Date(now - 86_400_000).toISOString();
  const shown = items.filter((e) => (scope === 'open' ? isOpenEmergency(e.status) : e.status !== 'merged' && (isOpenEmergency(e.status) || (e.endedAt ?? '') >= dayAgo)));
  const { normal, groups } = groupFloods(shown);
  normal.sort(consoleOrder);
  return { items: normal.map((e) => row(e, stations)), floods: groups.map((g) => groupView(g, stations)), serverTime: new Date(now).toISOString(), escalateAfterSeconds: escalateAfterSeconds() };
}

/** How many dismissals run at once (each is one conditional write). */
const DISMISS_CONCURRENCY = 16;

/**
 * One action over a suspected flood the dispatcher has reviewed: every member still untouched
 * (received) and created up to `upTo` becomes a false alarm, each in its own conditional write
 * with the reason on its timeline. A member a dispatcher took meanwhile, or one that arrived after
 * the review, stays.
 */
export async function dismissFlood(principal: Principal, groupId: string, body: z.output<typeof DismissFloodRequest>) {
  const group = groupFloods(await store.listOpen()).groups.find((g) => g.id === groupId);
  if (!group) throw notFound('该批量求助分组不存在或已处理');
  const upTo = Date.parse(body.upTo);
  const targets = group.members.filter((e) => e.status === 'received' && Date.parse(e.createdAt) <= upTo);
  const at = new Date().toISOString();
  const t = EMERGENCY_TRANSITIONS.false_alarm;
  let dismissed = 0;
  for (let i = 0; i < targets.length; i += DISMISS_CONCURRENCY) {
    const done = await Promise.all(
      targets.slice(i, i + DISMISS_CONCURRENCY).map((e) =>
        store.transition(e.id, {
          from: ['received'],
          to: t.to,
          entry: { at, kind: 'false_alarm', text: '调度员标记为误报', note: `批量误报（${group.label}）：${body.reason}`, by: principal.name, byId: principal.userId },
          floodGroup: groupId,
        }),
      ),
    );
    dismissed += done.filter(Boolean).length;
  }
  logger.info('emergency flood dismissed', { group: groupId, dismissed, members: group.members.length, user: principal.userId });
  await runAfter('dismiss', groupId, { push: () => publish([roleTopic('dispatcher')], { type: 'emergency.updated', data: { flood: groupId } }) });
  return { groupId, dismissed, kept: group.members.length - dismissed };
}

async function view(principal: Principal, e: store.EmergencyItem, withSummary: boolean): Promise<ConsoleEmergencyView> {
  const stations = await store.listStations();
  const row = listItem(e, stations);
  const patient = e.patientId ? await getPatient(e.patientId) : undefined;
  const out: ConsoleEmergencyView = {
    ...row,
    caller: {
      known: !!e.userId,
      patient: patient ? { id: patient.patientId, name: patient.name, sex: patient.sex, age: ageOn(patient.birthDate, localDate()) } : undefined,
    },
    location: e.location
      ? (() => {
          const both = bothDatums(e.location, e.location.coordSystem);
          return { reported: e.location, ...both, mapLinks: mapLinks(both.gcj02, both.wgs84) };
        })()
      : undefined,
    dispatch: e.dispatch,
    timeline: e.timeline.map(({ at, kind, text, note, by }) => ({ at, kind, text, note, by })),
    linked: e.linkedIds?.length ? await linkedPresses(e.linkedIds, stations) : [],
  };
  if (withSummary && e.patientId) Object.assign(out, await summaryFor(principal, e));
  return out;
}

/** Presses for the same number from other devices: each with its own location and words, oldest first. */
async function linkedPresses(ids: readonly string[], stations: readonly store.StationItem[]): Promise<LinkedPressView[]> {
  const items = await store.getMany(ids);
  items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return items.map((p) => {
    const both = p.location ? bothDatums(p.location, p.location.coordSystem) : undefined;
    return {
      id: p.id,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      complaints: p.complaints,
      text: p.text,
      place: p.place,
      known: !!p.userId,
      location: p.location && both ? { reported: p.location, ...both, mapLinks: mapLinks(both.gcj02, both.wgs84) } : undefined,
      nearest: p.wgs84 ? nearestStations(p.wgs84, stations)[0] : undefined,
      timeline: p.timeline.map(({ at, kind, text }) => ({ at, kind, text })),
    };
  });
}

/** The person's allergies, conditions and medications, read under the emergency grant and audited. */
async function summaryFor(principal: Principal, e: store.EmergencyItem): Promise<Pick<ConsoleEmergencyView, 'healthSummary' | 'healthSummaryNote'>> {
  if (!isOpenEmergency(e.status)) return { healthSummaryNote: '求助已结束，健康摘要不再开放' };
  // The grant is opened after the press; if that step failed, open it now (same id: no pile-up).
  if (!e.grantOpenedAt) await openGrant(e).catch((err: unknown) => logger.warn('emergency grant retry failed', { emergency: e.id, error: (err as Error)?.name }));
  try {
    await authorizeStaffRead({ principal, patientId: e.patientId!, scope: 'record', purpose: 'emergency', resource: `record:emergency:${e.id}` });
  } catch (err) {
    if (err instanceof HttpError && err.status === 403) return { healthSummaryNote: '暂无查看该患者健康摘要的授权' };
    throw err;
  }
  return { healthSummary: await healthSummary(e.patientId!) };
}

export async function detail(principal: Principal, id: string) {
  const e = await store.getEmergency(id);
  if (!e) throw notFound('求助记录不存在');
  return view(principal, e, true);
}

const entryText = (b: z.output<typeof DispatcherActionRequest>): string => {
  switch (b.action) {
    case 'acknowledge':
      return '调度员已接警';
    case 'dispatch':
      return `已派出${b.team}，预计 ${b.etaMinutes} 分钟到达`;
    case 'arrive':
      return '救援人员已到达现场';
    // The reason is for the caller too (the timeline's text); the note stays on the console.
    case 'close':
      return `调度员结束了本次求助：${b.reason}`;
    case 'false_alarm':
      return `调度员标记为误报：${b.reason}`;
  }
};

export async function act(principal: Principal, id: string, body: z.output<typeof DispatcherActionRequest>) {
  const at = new Date().toISOString();
  const t = EMERGENCY_TRANSITIONS[body.action];
  const after = await store.transition(id, {
    from: t.from,
    to: t.to,
    entry: { at, kind: body.action, text: entryText(body), note: body.note || undefined, by: principal.name, byId: principal.userId },
    dispatch: body.action === 'dispatch' ? { team: body.team, etaMinutes: body.etaMinutes, eta: new Date(Date.parse(at) + body.etaMinutes * 60_000).toISOString(), dispatchedAt: at } : undefined,
  });
  if (!after) {
    const now = await store.getEmergency(id);
    if (!now) throw notFound('求助记录不存在');
    throw conflict('EMERGENCY_STATE', `该求助当前为「${EMERGENCY_STATUS_SHORT[now.status]}」，不能${EMERGENCY_ACTION_LABEL[body.action]}`);
  }
  logger.info('emergency action', { emergency: id, action: body.action, status: after.status, user: principal.userId });
  await runAfter(body.action, id, {
    ...(isOpenEmergency(after.status) ? {} : { grant: () => closeGrant(after) }),
    push: () => pushChange(after, 'emergency.updated'),
  });
  // Without the summary: the console keeps the one it read (each read is audited).
  return view(principal, after, false);
}
