import { describe, expect, it } from 'vitest';
import type { ScheduleView } from '@hospital/shared';
import { ApiError, describeError } from '../../../services/client';
import {
  checkSchedule,
  checkStopReason,
  createErrorText,
  emptyScheduleForm,
  fieldOfPath,
  serverScheduleErrors,
  sessionRow,
  sessionsByDay,
  stopResultText,
  toRequestInput,
  type ScheduleForm,
} from './schedules';

const TODAY = '2026-03-10';
const form = (over: Partial<ScheduleForm> = {}): ScheduleForm => ({ ...emptyScheduleForm('doc-zhao-shan'), date: '2026-03-14', session: 'evening', capacity: '10', ...over });

describe('checkSchedule (the shared CreateScheduleRequest)', () => {
  it('names every missing field of an empty form under its input', () => {
    const r = checkSchedule(emptyScheduleForm(), TODAY);
    expect(r).toEqual({
      ok: false,
      errors: { doctorId: '请先选择医生', date: '请选择出诊日期', session: '请选择时段（上午、下午或夜间）', capacity: '请填写号源数' },
    });
  });

  it('turns yuan into fen, leaves empty optional fields out and keeps 签约居民优先号 and own hours', () => {
    expect(checkSchedule(form({ fee: '25.5', reserved: '2', start: '18:30', end: '20:00' }), TODAY)).toEqual({
      ok: true,
      value: { doctorId: 'doc-zhao-shan', date: '2026-03-14', session: 'evening', capacity: 10, fee: 2550, reserved: 2, hours: { start: '18:30', end: '20:00' } },
    });
    expect(checkSchedule(form({ fee: '0' }), TODAY)).toMatchObject({ ok: true, value: { fee: 0 } });
    const plain = checkSchedule(form({ reserved: '0' }), TODAY);
    expect(plain.ok && plain.value).toEqual({ doctorId: 'doc-zhao-shan', date: '2026-03-14', session: 'evening', capacity: 10 });
  });

  it('refuses more 优先号 than places with the schema’s own message', () => {
    expect(checkSchedule(form({ capacity: '2', reserved: '3' }), TODAY)).toEqual({ ok: false, errors: { reserved: '优先号不能多于总号源' } });
  });

  it('says what is wrong with numbers, money and hours in Chinese', () => {
    const r = checkSchedule(form({ capacity: '0', fee: 'abc', reserved: '1.5', start: '19:00', end: '18:00' }), TODAY);
    expect(r.ok).toBe(false);
    const errors = !r.ok ? r.errors : {};
    expect(errors.capacity).toBe('号源数须为 1 到 500 的整数');
    expect(errors.fee).toMatch(/挂号费格式不正确/);
    expect(errors.reserved).toMatch(/0 到 500 的整数/);
    expect(errors.end).toBe('结束时间须晚于开始时间');
    const half = checkSchedule(form({ start: '18:00' }), TODAY);
    expect(!half.ok && half.errors).toEqual({ end: '时间须为 HH:mm，如 18:00' });
    const big = checkSchedule(form({ fee: '20000' }), TODAY);
    expect(!big.ok && big.errors.fee).toBe('挂号费最多 ¥10000.00');
  });

  it('keeps the date within today and the next 30 days', () => {
    expect(checkSchedule(form({ date: '2026-03-09' }), TODAY)).toEqual({ ok: false, errors: { date: '不能为过去的日期排班' } });
    expect(checkSchedule(form({ date: '2026-04-10' }), TODAY)).toEqual({ ok: false, errors: { date: '请选择30天以内的日期' } });
    expect(checkSchedule(form({ date: '2026-04-09' }), TODAY).ok).toBe(true);
  });

  it('sends hours only when one of them is filled', () => {
    expect(toRequestInput(form())).not.toHaveProperty('hours');
    expect(toRequestInput(form({ end: '20:00' }))).toMatchObject({ hours: { start: '', end: '20:00' } });
  });
});

describe('field paths', () => {
  it('maps zod issue paths and server paths to the same inputs', () => {
    expect(fieldOfPath(['hours', 'start'])).toBe('start');
    expect(fieldOfPath(['hours', 'end'])).toBe('end');
    expect(fieldOfPath('body.hours.end')).toBe('end');
    expect(fieldOfPath('body.reserved')).toBe('reserved');
    expect(fieldOfPath('body.reservedUntil')).toBe('reserved');
    expect(fieldOfPath('body.date')).toBe('date');
    expect(fieldOfPath('body.bookingClosesAt')).toBeUndefined();
  });

  it('puts server field errors under the inputs, and other refusals in plain words', () => {
    const bad = new ApiError({ kind: 'http', status: 400, code: 'VALIDATION_FAILED', message: 'x', fields: [{ path: 'body.reserved', message: '优先号不能多于总号源' }, { path: 'body.date', message: '不能为过去的日期排班' }] });
    expect(serverScheduleErrors(bad)).toEqual({ reserved: '优先号不能多于总号源', date: '不能为过去的日期排班' });
    expect(serverScheduleErrors(null)).toEqual({});
    expect(createErrorText(bad, describeError)).toBeUndefined();
    const exists = new ApiError({ kind: 'http', status: 409, code: 'SCHEDULE_EXISTS', message: '该医生此时段已有排班' });
    expect(createErrorText(exists, describeError)).toContain('已有排班');
    const forbidden = new ApiError({ kind: 'http', status: 403, code: 'FORBIDDEN', message: 'forbidden' });
    expect(createErrorText(forbidden, describeError)).toBe('只能管理本机构医生的排班');
    const offline = new ApiError({ kind: 'offline', status: 0, code: 'OFFLINE', message: 'offline' });
    expect(createErrorText(offline, describeError)).toBe('网络不可用，请检查网络后重试');
  });
});

describe('停诊', () => {
  it('requires a reason (StopSessionRequest) and trims it', () => {
    expect(checkStopReason('  ')).toEqual({ ok: false, message: '请填写停诊原因' });
    expect(checkStopReason(' 医生外出会诊 ')).toEqual({ ok: true, reason: '医生外出会诊' });
    expect(checkStopReason('长'.repeat(101))).toEqual({ ok: false, message: '停诊原因最多100个字' });
  });

  it('says how many appointments were stopped and refunds requested', () => {
    expect(stopResultText({ appointmentsStopped: 1, refundsRequested: 0 })).toBe('已停诊，1 个预约已取消并通知患者，0 笔挂号费已申请退款');
  });
});

const view = (over: Partial<ScheduleView> = {}): ScheduleView => ({
  id: 'doc-zhao-shan_20260314_evening',
  orgId: 'org-taishan-station',
  orgName: '泰山南天门远程医疗工作站',
  deptId: 'dept-station-remote',
  deptName: '远程诊室',
  doctorId: 'doc-zhao-shan',
  doctorName: '赵山',
  doctorTitle: '医师',
  date: '2026-03-14',
  session: 'evening',
  startsAt: '2026-03-14T18:00:00+08:00',
  endsAt: '2026-03-14T21:00:00+08:00',
  capacity: 10,
  placesLeft: 7,
  reservedLeft: 2,
  reservedUntil: '2026-03-13T17:00:00+08:00',
  fee: 0,
  releaseAt: '2026-03-07T08:00:00+08:00',
  bookingClosesAt: '2026-03-14T20:30:00+08:00',
  cancelCutoffAt: '2026-03-14T18:00:00+08:00',
  state: 'open',
  ...over,
});
const NOW = Date.parse('2026-03-10T10:00:00+08:00');

describe('sessionRow', () => {
  it('shows places left of the capacity, the 签约优先号 still held and the fee', () => {
    expect(sessionRow(view(), NOW, TODAY)).toEqual({
      id: 'doc-zhao-shan_20260314_evening',
      time: '夜间 18:00-21:00',
      state: '可预约',
      stateKind: 'open',
      places: '余号 9 / 10',
      reserved: '签约优先号 剩 2 个（3月13日 17:00 后开放给所有人）',
      fee: '免费',
      canStop: true,
    });
  });

  it('counts held places as open once they are released to everyone', () => {
    const r = sessionRow(view(), Date.parse('2026-03-13T18:00:00+08:00'), '2026-03-13');
    expect(r.places).toBe('余号 9 / 10');
    expect(r.reserved).toBeUndefined();
  });

  it('cannot stop a stopped or finished session, and says why it was stopped', () => {
    const stopped = sessionRow(view({ state: 'stopped', stoppedReason: '医生外出会诊', fee: 5000, placesLeft: 0, reservedLeft: 0 }), NOW, TODAY);
    expect(stopped).toMatchObject({ state: '停诊', canStop: false, note: '停诊原因：医生外出会诊', fee: '¥50.00', places: '原有号源 10 个' });
    expect(sessionRow(view(), Date.parse('2026-03-14T21:00:00+08:00'), '2026-03-14').canStop).toBe(false);
  });
});

describe('sessionsByDay', () => {
  it('keeps the next 14 days that have sessions, in the order of the day', () => {
    const items = [
      view({ id: 'c', date: '2026-03-14', session: 'evening' }),
      view({ id: 'a', date: '2026-03-14', session: 'am' }),
      view({ id: 'b', date: '2026-03-10', session: 'pm' }),
      view({ id: 'late', date: '2026-03-24', session: 'am' }),
    ];
    expect(sessionsByDay(items, TODAY).map((d) => [d.date, d.items.map((s) => s.id)])).toEqual([
      ['2026-03-10', ['b']],
      ['2026-03-14', ['a', 'c']],
    ]);
  });
});
