/**
 * 排班管理 (admin): the 新增出诊 form checked with the same schema the server uses
 * (`CreateScheduleRequest`), zod issues and server field errors mapped to the same inputs, one
 * line per session of the doctor's next days, and what the page says after a 停诊. Pure.
 */
import { CreateScheduleRequest, SCHEDULE_STATE_LABEL, StopSessionRequest, type ScheduleView, type Session } from '@hospital/shared';
import type * as z from 'zod';
import { addDaysTo, dateTime } from '../../../booking/calendar';
import { parseYuan } from '../../../payments/amount';
import type { ApiError } from '../../../services/client';
import { placesNow, sessionCard, sessionsOn } from '../../booking/logic/schedule';

/** Sessions shown on the page: the next 14 days. */
export const LIST_DAYS = 14;
/** A new session may be planned this far ahead from the page (the server allows more). */
export const PLAN_DAYS = 30;

export type ScheduleField = 'doctorId' | 'date' | 'session' | 'capacity' | 'fee' | 'reserved' | 'start' | 'end';
export const SCHEDULE_FIELDS: readonly ScheduleField[] = ['doctorId', 'date', 'session', 'capacity', 'fee', 'reserved', 'start', 'end'];
export type ScheduleFieldErrors = Partial<Record<ScheduleField, string>>;

/** The form as typed: numbers are text until checked; empty optional fields are left out. */
export interface ScheduleForm {
  doctorId: string;
  date: string;
  session: Session | '';
  /** 号源数 */
  capacity: string;
  /** 挂号费 in yuan (`0` free, `25.5`); empty: the doctor's usual fee. */
  fee: string;
  /** 签约居民优先号; empty or 0: none. */
  reserved: string;
  /** Own hours (HH:mm); both empty: the period's usual hours. */
  start: string;
  end: string;
}

export const emptyScheduleForm = (doctorId = ''): ScheduleForm => ({ doctorId, date: '', session: '', capacity: '', fee: '', reserved: '', start: '', end: '' });

export type CreateScheduleBody = z.output<typeof CreateScheduleRequest>;

/**
 * The form field a path names: a zod issue path (`['hours', 'start']`) or a server/client field
 * path (`body.hours.start`, `body.reserved`). `reservedUntil` belongs to the 优先号 input.
 */
export function fieldOfPath(path: string | readonly PropertyKey[]): ScheduleField | undefined {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => p !== 'body');
  const [first, second] = parts;
  if (first === 'hours') return second === 'end' ? 'end' : 'start';
  if (first === 'reservedUntil') return 'reserved';
  return SCHEDULE_FIELDS.includes(first as ScheduleField) ? (first as ScheduleField) : undefined;
}

/** Whole numbers stay numbers; anything else goes to the schema as typed, so it is refused there. */
function count(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^\d{1,6}$/.test(t) ? Number(t) : t;
}

/** The request body the form stands for, before checking (what the schema is given). */
export function toRequestInput(form: ScheduleForm): Record<string, unknown> {
  const fee = form.fee.trim() === '' ? undefined : (parseYuan(form.fee) ?? form.fee.trim());
  const reserved = count(form.reserved);
  const start = form.start.trim();
  const end = form.end.trim();
  return {
    doctorId: form.doctorId,
    date: form.date,
    session: form.session || undefined,
    capacity: count(form.capacity),
    ...(fee !== undefined ? { fee } : {}),
    ...(reserved !== undefined && reserved !== 0 ? { reserved } : {}),
    ...(start || end ? { hours: { start, end } } : {}),
  };
}

const HAN = /[\u4e00-\u9fff]/;

/** A sentence for one issue: the schema's own Chinese message, else one written for the field. */
function issueMessage(field: ScheduleField, issue: { code: string; message: string }, form: ScheduleForm): string {
  if (field === 'doctorId' && !form.doctorId) return '请先选择医生';
  if (HAN.test(issue.message)) return issue.message;
  switch (field) {
    case 'doctorId':
      return '请先选择医生';
    case 'date':
      return '请选择出诊日期';
    case 'session':
      return '请选择时段（上午、下午或夜间）';
    case 'capacity':
      return form.capacity.trim() === '' ? '请填写号源数' : '号源数须为 1 到 500 的整数';
    case 'fee':
      return issue.code === 'too_big' ? '挂号费最多 ¥10000.00' : '挂号费格式不正确，请填写金额（元），如 0 或 25.5';
    case 'reserved':
      return '签约居民优先号须为 0 到 500 的整数';
    default:
      return '时间须为 HH:mm，如 18:00';
  }
}

/** The planning window the page offers (today .. today + 30), as a message when outside it. */
export function dateProblem(date: string, today: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  if (date < today) return '不能为过去的日期排班';
  if (date > addDaysTo(today, PLAN_DAYS)) return `请选择${PLAN_DAYS}天以内的日期`;
  return undefined;
}

/** Checks the form with `CreateScheduleRequest`; the first message per field, under its input. */
export function checkSchedule(form: ScheduleForm, today: string): { ok: true; value: CreateScheduleBody } | { ok: false; errors: ScheduleFieldErrors } {
  const r = CreateScheduleRequest.safeParse(toRequestInput(form));
  const errors: ScheduleFieldErrors = {};
  if (!r.success) {
    for (const issue of r.error.issues) {
      const field = fieldOfPath(issue.path);
      if (field && !errors[field]) errors[field] = issueMessage(field, issue, form);
    }
  }
  const late = dateProblem(form.date, today);
  if (late && !errors.date) errors.date = late;
  if (r.success && !late) return { ok: true, value: r.data };
  return { ok: false, errors };
}

/** Field messages of a refused request (server 400, or the client's own check), for the same inputs. */
export function serverScheduleErrors(e: Pick<ApiError, 'fields'> | null | undefined): ScheduleFieldErrors {
  const errors: ScheduleFieldErrors = {};
  for (const f of e?.fields ?? []) {
    const field = fieldOfPath(f.path);
    if (field && !errors[field]) errors[field] = f.message;
  }
  return errors;
}

/** What to say about a refused 新增出诊 that no input explains (409 SCHEDULE_EXISTS, 403, …), or undefined. */
export function createErrorText(e: (Pick<ApiError, 'fields' | 'code' | 'status'> & { message: string }) | null | undefined, describe: (e: unknown) => string): string | undefined {
  if (!e) return undefined;
  if (Object.keys(serverScheduleErrors(e)).length > 0) return undefined;
  if (e.code === 'SCHEDULE_EXISTS') return '该医生在这一天的这个时段已有排班，不能重复添加。请换一个日期或时段。';
  if (e.status === 403) return '只能管理本机构医生的排班';
  return describe(e);
}

/** The 停诊 reason checked with `StopSessionRequest`: the trimmed reason or the message. */
export function checkStopReason(reason: string): { ok: true; reason: string } | { ok: false; message: string } {
  const r = StopSessionRequest.safeParse({ reason });
  if (r.success) return { ok: true, reason: r.data.reason };
  const issue = r.error.issues[0];
  return { ok: false, message: issue && HAN.test(issue.message) ? issue.message : '停诊原因最多100个字' };
}

/** After a 停诊: `已停诊，1 个预约已取消并通知患者，1 笔挂号费已申请退款`. */
export const stopResultText = (r: { appointmentsStopped: number; refundsRequested: number }) =>
  `已停诊，${r.appointmentsStopped} 个预约已取消并通知患者，${r.refundsRequested} 笔挂号费已申请退款`;

/** The confirmation before a 停诊 is sent. */
export const stopConfirmText = (s: Pick<ScheduleView, 'doctorName'>, when: string, reason: string) =>
  `${s.doctorName} ${when} 停诊（原因：${reason}）。已预约的患者会收到通知，已付挂号费将原路退回。此操作不能撤销，确定停诊吗？`;

export interface SessionRow {
  id: string;
  /** 上午 08:00-12:00 */
  time: string;
  /** 可预约 / 未放号 / 约满 / 已停止预约 / 停诊 */
  state: string;
  stateKind: ScheduleView['state'];
  /** 余号 18 / 20 (原有号源 20 个 when stopped) */
  places: string;
  /** 签约优先号 剩 2 个（11月29日 17:00 后开放给所有人）; absent when none is held. */
  reserved?: string;
  fee: string;
  /** 停诊原因：… */
  note?: string;
  /** Not stopped and not over yet. */
  canStop: boolean;
}

/** One session as the administrator sees it. */
export function sessionRow(s: ScheduleView, now: number = Date.now(), today?: string): SessionRow {
  const card = sessionCard(s, now, today);
  const places = placesNow(s, now);
  return {
    id: s.id,
    time: card.time,
    state: SCHEDULE_STATE_LABEL[card.state],
    stateKind: card.state,
    // A stopped session has no places left to book: say how many it had.
    places: card.state === 'stopped' ? `原有号源 ${s.capacity} 个` : `余号 ${places.open + places.reserved} / ${s.capacity}`,
    ...(places.reserved > 0
      ? { reserved: `签约优先号 剩 ${places.reserved} 个${s.reservedUntil ? `（${dateTime(s.reservedUntil, today)} 后开放给所有人）` : ''}` }
      : {}),
    fee: card.fee,
    ...(card.state === 'stopped' ? { note: card.note } : {}),
    canStop: card.state !== 'stopped' && now < Date.parse(s.endsAt),
  };
}

/** The days of the next `days` that have sessions, each with its sessions in the order of the day. */
export function sessionsByDay(items: readonly ScheduleView[], today: string, days: number = LIST_DAYS): { date: string; items: ScheduleView[] }[] {
  return Array.from({ length: days }, (_, i) => addDaysTo(today, i))
    .map((date) => ({ date, items: sessionsOn(items, date) }))
    .filter((d) => d.items.length > 0);
}
