import { describe, expect, it } from 'vitest';
import { idCardCheckChar, type QueueStatus, type ScheduleView } from '@hospital/shared';
import { ApiError } from '../../../services/client';
import { countdown } from './countdown';
import { checkPatient, serverFieldErrors } from './patient-form';
import { queueDisplay } from './queue';
import { refusalOf } from './refusals';
import { dateStrip, pickDate, placesNow, reservedOnly, sessionCard, sessionsOn } from './schedule';
import { templateIdsFor } from './subscribe';

const NOW = Date.parse('2026-11-22T09:00:00+08:00');
const session = (over: Partial<ScheduleView>): ScheduleView => ({
  id: 's',
  orgId: 'o',
  orgName: '泰山南天门远程医疗工作站',
  deptId: 'd',
  deptName: '远程诊室',
  doctorId: 'doc',
  doctorName: '赵山',
  doctorTitle: '医师',
  date: '2026-11-22',
  session: 'am',
  startsAt: '2026-11-22T08:00:00+08:00',
  endsAt: '2026-11-22T12:00:00+08:00',
  capacity: 10,
  placesLeft: 4,
  reservedLeft: 0,
  fee: 0,
  releaseAt: '2026-11-15T08:00:00+08:00',
  bookingClosesAt: '2026-11-22T11:30:00+08:00',
  cancelCutoffAt: '2026-11-22T08:00:00+08:00',
  state: 'open',
  ...over,
});

describe('the date strip and session cards', () => {
  const items = [
    session({ id: 'today-am' }),
    session({ id: 'today-pm', session: 'pm', placesLeft: 0, state: 'full', startsAt: '2026-11-22T13:30:00+08:00', endsAt: '2026-11-22T17:30:00+08:00', bookingClosesAt: '2026-11-22T17:00:00+08:00' }),
    session({ id: 'later', date: '2026-11-29', releaseAt: '2026-11-22T08:00:00+08:00', bookingClosesAt: '2026-11-29T11:30:00+08:00' }),
    session({ id: 'unreleased', date: '2026-11-30', releaseAt: '2026-11-23T08:00:00+08:00', bookingClosesAt: '2026-11-30T11:30:00+08:00', state: 'not_released' }),
  ];

  it('covers 14 days from today, counting sessions and bookable ones per day', () => {
    const strip = dateStrip('2026-11-22', 14, items, NOW);
    expect(strip).toHaveLength(14);
    expect(strip[0]).toEqual({ date: '2026-11-22', label: '今天', short: '11/22', sessions: 2, open: 1 });
    expect(strip[1]).toMatchObject({ label: '明天', sessions: 0, open: 0 });
    expect(strip[8]).toMatchObject({ date: '2026-11-30', sessions: 1, open: 0 });
    expect(strip[13].date).toBe('2026-12-05');
  });

  it('opens on the day asked for, else the first bookable day, else the first day with sessions', () => {
    const strip = dateStrip('2026-11-22', 14, items, NOW);
    expect(pickDate(strip, '2026-11-29')).toBe('2026-11-29');
    expect(pickDate(strip, '2027-01-01')).toBe('2026-11-22');
    const noneOpen = dateStrip('2026-11-22', 14, [items[3]], NOW);
    expect(pickDate(noneOpen)).toBe('2026-11-30');
    expect(pickDate(dateStrip('2026-11-22', 3, [], NOW))).toBe('2026-11-22');
  });

  it('an open session shows the places left and can be tapped; a full one is greyed with 号源已满', () => {
    expect(sessionCard(items[0], NOW)).toMatchObject({ bookable: true, badge: '剩余 4 个', time: '上午 08:00-12:00', fee: '免费' });
    expect(sessionCard(items[1], NOW)).toMatchObject({ bookable: false, badge: '号源已满', state: 'full' });
  });

  it('签约居民优先号: shown beside open places; when only they are left the card can still be tapped; at reservedUntil they join the rest', () => {
    const reserved = { reservedLeft: 2, reservedUntil: '2026-11-22T10:00:00+08:00' };
    expect(sessionCard(session({ ...reserved }), NOW)).toMatchObject({ bookable: true, badge: '剩余 4 个', note: '另有签约居民优先号 2 个' });
    const onlyReserved = session({ ...reserved, placesLeft: 0, state: 'full' });
    expect(reservedOnly(onlyReserved, NOW)).toBe(true);
    expect(sessionCard(onlyReserved, NOW)).toMatchObject({ bookable: true, state: 'full', badge: '签约优先号 剩2个', note: '普通号已满，仅限该医生团队的签约居民预约' });
    const opened = Date.parse('2026-11-22T10:00:00+08:00');
    expect(placesNow(onlyReserved, opened)).toEqual({ open: 2, reserved: 0 });
    expect(reservedOnly(onlyReserved, opened)).toBe(false);
    expect(sessionCard(onlyReserved, opened)).toMatchObject({ bookable: true, state: 'open', badge: '剩余 2 个' });
    expect(sessionCard(session({ placesLeft: 0, reservedLeft: 0, state: 'full' }), NOW)).toMatchObject({ bookable: false, badge: '号源已满' });
  });

  it('before release it shows 放号时间; a page left open flips to bookable at release time', () => {
    const s = items[3];
    expect(sessionCard(s, NOW, '2026-11-22')).toMatchObject({ bookable: false, badge: '未放号', note: '放号时间 明天 08:00' });
    expect(sessionCard(s, Date.parse('2026-11-23T08:00:00+08:00'))).toMatchObject({ bookable: true, state: 'open' });
  });

  it('a stopped session says 停诊 and why; a closed one 已停止预约; a paid one its fee in yuan', () => {
    expect(sessionCard(session({ state: 'stopped', placesLeft: 0, stoppedReason: '医生外出会诊' }), NOW)).toMatchObject({
      bookable: false,
      badge: '停诊',
      note: '停诊原因：医生外出会诊',
    });
    expect(sessionCard(session({ fee: 5000 }), Date.parse('2026-11-22T11:30:00+08:00'))).toMatchObject({ bookable: false, badge: '已停止预约', fee: '¥50.00' });
  });

  it('lists a day in the order 上午, 下午, 夜间', () => {
    const day = sessionsOn([session({ id: 'e', session: 'evening' }), session({ id: 'a' }), session({ id: 'p', session: 'pm' })], '2026-11-22');
    expect(day.map((s) => s.id)).toEqual(['a', 'p', 'e']);
  });
});

describe('the payment hold countdown', () => {
  const until = '2026-11-22T09:10:00+08:00';
  it('counts down minutes and seconds and ends at 00:00, expired', () => {
    expect(countdown(until, NOW)).toMatchObject({ text: '10:00', expired: false });
    expect(countdown(until, NOW + 9 * 60_000 + 59_500)).toMatchObject({ text: '00:01', expired: false });
    expect(countdown(until, NOW + 10 * 60_000)).toMatchObject({ text: '00:00', expired: true, ms: 0 });
    expect(countdown(until, NOW + 60 * 60_000)).toMatchObject({ text: '00:00', expired: true });
  });
  it('no hold time means nothing to wait for', () => {
    expect(countdown(undefined, NOW).expired).toBe(true);
  });
});

describe('refusals in plain Chinese', () => {
  const http = (code: string, status = 409) => new ApiError({ kind: 'http', status, code, message: 'x' });
  it('every booking refusal code says what happened and what to do next', () => {
    expect(refusalOf(http('SLOT_FULL'))).toMatchObject({ title: '号源已满', next: 'other_session' });
    expect(refusalOf(http('ALREADY_BOOKED'))).toMatchObject({ title: '已有预约', next: 'my_appointments' });
    expect(refusalOf(http('NOT_RELEASED')).title).toBe('还未放号');
    expect(refusalOf(http('BOOKING_CLOSED')).title).toBe('已停止预约');
    expect(refusalOf(http('SESSION_STOPPED')).title).toBe('医生停诊');
    expect(refusalOf(http('HOLD_EXPIRED'))).toMatchObject({ title: '支付已超时', next: 'book_again' });
    expect(refusalOf(http('CANCEL_CUTOFF_PASSED')).title).toBe('已过退号时间');
    expect(refusalOf(http('NOT_TODAY')).message).toContain('就诊当天');
  });
  it('no network, unknown codes and server messages still give a sentence', () => {
    expect(refusalOf(new ApiError({ kind: 'offline', status: 0, code: 'OFFLINE', message: 'offline' }))).toMatchObject({ title: '网络不可用', next: 'retry' });
    expect(refusalOf(new ApiError({ kind: 'network', status: 0, code: 'NETWORK_ERROR', message: 'x' })).next).toBe('retry');
    expect(refusalOf(new ApiError({ kind: 'http', status: 404, code: 'NOT_FOUND', message: '预约不存在' }))).toMatchObject({ title: '没有找到', message: '预约不存在' });
    expect(refusalOf(new ApiError({ kind: 'http', status: 503, code: 'UPSTREAM_UNAVAILABLE', message: 'down' })).next).toBe('retry');
  });
});

describe('the live queue', () => {
  const q = (mine?: QueueStatus['mine'], calledNumber = 3): QueueStatus => ({
    scheduleId: 's',
    date: '2026-11-22',
    session: 'am',
    doctorName: '赵山',
    deptName: '远程诊室',
    calledNumber,
    waiting: 4,
    minutesPerPatient: 10,
    topic: 'queue:s',
    updatedAt: '',
    ...(mine ? { mine } : {}),
  });
  it('shows the number being called and, for me, people ahead and the wait', () => {
    expect(queueDisplay(q(undefined, 0))).toEqual({ called: '未开始', waiting: 4 });
    expect(queueDisplay(q({ appointmentId: 'a', number: 6, ahead: 2, estimatedWaitMinutes: 20, state: 'waiting' })).mine).toEqual({
      number: '6号',
      state: 'waiting',
      headline: '前面还有 2 人',
      wait: '预计等待约 20 分钟',
    });
  });
  it('says when I am next, when it is my turn and when my number has passed', () => {
    expect(queueDisplay(q({ appointmentId: 'a', number: 4, ahead: 0, estimatedWaitMinutes: 0, state: 'waiting' })).mine?.headline).toContain('下一位就是您');
    expect(queueDisplay(q({ appointmentId: 'a', number: 3, ahead: 0, estimatedWaitMinutes: 0, state: 'called' })).mine?.headline).toBe('轮到您了，请到诊室就诊');
    expect(queueDisplay(q({ appointmentId: 'a', number: 1, ahead: 0, estimatedWaitMinutes: 0, state: 'passed' })).mine?.headline).toContain('已过号');
  });
});

describe('the queue of one family member while another of the family waits too', () => {
  const status = (mine: QueueStatus['mine'], calledNumber: number): QueueStatus => ({
    scheduleId: 's', date: '2026-11-22', session: 'am', doctorName: '赵山', deptName: '远程诊室',
    calledNumber, waiting: 5, minutesPerPatient: 10, topic: 'queue:s', updatedAt: '', mine,
  });
  const sister = { appointmentId: 'ap-sister', number: 3, ahead: 1, estimatedWaitMinutes: 10, state: 'waiting' as const };
  it("this page shows this appointment's number, not the first of the family", () => {
    expect(queueDisplay(status(sister, 1), { id: 'ap-me', queueNumber: 6 }).mine).toEqual({
      number: '6号', state: 'waiting', headline: '前面还有约 4 人', wait: '预计等待约 40 分钟',
    });
    expect(queueDisplay(status(sister, 5), { id: 'ap-me', queueNumber: 6 }).mine?.headline).toContain('下一位就是您');
    expect(queueDisplay(status(sister, 6), { id: 'ap-me', queueNumber: 6 }).mine?.headline).toBe('轮到您了，请到诊室就诊');
  });
  it('before this person checks in, the page shows only the number being called', () => {
    expect(queueDisplay(status(sister, 1), { id: 'ap-me' })).toEqual({ called: '1号', waiting: 5 });
  });
  it('the server\'s own answer is used when it is about this appointment', () => {
    expect(queueDisplay(status(sister, 1), { id: 'ap-sister', queueNumber: 3 }).mine?.headline).toBe('前面还有 1 人');
  });
});

describe('the add-a-person form', () => {
  const first17 = '37090219480312002';
  const check = idCardCheckChar(first17);
  const wrongCheck = check === '1' ? '2' : '1';
  const good = { name: '王秀英', relation: 'parent' as const, phone: '13853800009', idNumber: first17 + check.toLowerCase() };
  it('accepts a valid person (ID checked with the GB 11643 checksum, lower-case x normalised)', () => {
    expect(checkPatient(good)).toEqual({ ok: true, value: { ...good, idNumber: first17 + check } });
  });
  it('gives every wrong field its own message', () => {
    const r = checkPatient({ name: ' ', relation: '', phone: '1385380', idNumber: first17 + wrongCheck });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      name: '请填写姓名',
      relation: '请选择与您的关系',
      phone: '请填写11位手机号',
      idNumber: '身份证号码校验位不正确，请核对',
    });
  });
  it('says which part of an ID number is wrong: length, birth date, checksum', () => {
    const errs = (idNumber: string) => (checkPatient({ ...good, idNumber }) as { errors?: Record<string, string> }).errors?.idNumber;
    expect(errs('3709021948')).toBe('身份证号码应为18位，最后一位可为数字或X');
    expect(errs('370902194802300021')).toBe('身份证号码中的出生日期无效');
  });
  it('puts server field errors in the same places', () => {
    const e = new ApiError({ kind: 'http', status: 400, code: 'VALIDATION_FAILED', message: 'x', fields: [{ path: 'body.idNumber', message: '身份证号码校验位不正确，请核对' }] });
    expect(serverFieldErrors(e)).toEqual({ idNumber: '身份证号码校验位不正确，请核对' });
    expect(serverFieldErrors(null)).toEqual({});
  });
});

describe('subscription consent', () => {
  it('asks for the configured booking templates only, at most three, without duplicates', () => {
    expect(templateIdsFor({})).toEqual([]);
    expect(templateIdsFor(undefined)).toEqual([]);
    expect(templateIdsFor({ visit_reminder: 'T2', booking_confirmed: 'T1', hold_expired: 'T4', session_stopped: 'T2' })).toEqual(['T1', 'T2']);
    expect(templateIdsFor({ booking_confirmed: 'A', visit_reminder: 'B', session_stopped: 'C', hold_expired: 'D' }, ['booking_confirmed', 'visit_reminder', 'session_stopped', 'hold_expired'])).toEqual(['A', 'B', 'C']);
  });
});
