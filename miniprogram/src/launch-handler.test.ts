import { beforeEach, describe, expect, it } from 'vitest';
import { navigations, resetShim } from '../test/taro-shim';
import type { AppointmentView, QrView } from '@hospital/shared';
import { destinationOf, lastQr, noteLaunch, openLaunchTarget, qrDestination, takePendingLaunch } from './launch-handler';

// vitest.config.ts defines H5_ORIGIN as https://h5.test
const printed = 'https://h5.test/qr?c=ST01';

beforeEach(() => {
  resetShim();
  takePendingLaunch();
});

describe('a launch from a printed code that lands on another page', () => {
  it('WeChat q onto the home page waits for the home page, once', () => {
    noteLaunch({ path: 'pages/index/index', query: { q: encodeURIComponent(printed) } });
    expect(takePendingLaunch()).toMatchObject({ code: 'ST01', source: 'wechat' });
    expect(takePendingLaunch()).toBeNull();
  });

  it('the same code delivered by onLaunch and onShow is acted on once', () => {
    const other = 'https://h5.test/qr?c=ST03';
    noteLaunch({ path: 'pages/index/index', query: { qrCode: other } });
    expect(takePendingLaunch()?.code).toBe('ST03');
    noteLaunch({ path: 'pages/index/index', query: { qrCode: other } });
    expect(takePendingLaunch()).toBeNull();
  });

  it('is left to the qr page when it lands there', () => {
    noteLaunch({ path: 'pages/qr/index', query: { q: encodeURIComponent(printed) } });
    expect(takePendingLaunch()).toBeNull();
  });

  it('ignores a bare c (the H5 /qr page handles its own) and codes from other origins', () => {
    noteLaunch({ path: '/qr', query: { c: 'ST01' } });
    expect(takePendingLaunch()).toBeNull();
    noteLaunch({ path: 'pages/index/index', query: { qrCode: 'https://elsewhere.example/qr?c=ST01' } });
    expect(takePendingLaunch()).toBeNull();
  });
});

describe('opening a target', () => {
  it('remembers the code; a code that cannot be resolved (here: no network) opens the qrTarget page to retry', async () => {
    await openLaunchTarget({ kind: 'qr', code: 'ST02', source: 'h5' }, 'redirect');
    expect(navigations).toEqual([{ api: 'redirectTo', url: '/packages/booking/pages/qr-target/index?code=ST02' }]);
    expect(lastQr()).toMatchObject({ code: 'ST02', source: 'h5' });
  });
});

const org = { id: 'o1', name: '泰山南天门远程医疗工作站', kind: 'station' as const };
const view = (code: string, target: QrView['target']) => ({ code, target });
const appt = (over: Partial<AppointmentView>): AppointmentView =>
  ({
    id: 'ap-1',
    status: 'confirmed',
    department: { id: 'dept-1', name: '远程诊室' },
    doctor: { id: 'doc-1', name: '赵山', title: '医师' },
    canCheckIn: true,
    ...over,
  }) as AppointmentView;

describe('where a printed code leads (GET /v1/qr/{code})', () => {
  it('an organisation or a station opens its departments, a department its doctors, a doctor their sessions', () => {
    expect(destinationOf(view('a', { kind: 'station', orgId: 'o1' }))).toEqual({ name: 'bookingDepartments', params: [{ orgId: 'o1' }] });
    expect(destinationOf(view('b', { kind: 'org', orgId: 'o2' }))).toEqual({ name: 'bookingDepartments', params: [{ orgId: 'o2' }] });
    expect(destinationOf(view('c', { kind: 'department', orgId: 'o1', deptId: 'd1' }))).toEqual({ name: 'bookingDoctors', params: [{ deptId: 'd1' }] });
    expect(destinationOf(view('d', { kind: 'doctor', orgId: 'o1', deptId: 'd1', doctorId: 'doc-1' }))).toEqual({
      name: 'bookingSchedules',
      params: [{ doctorId: 'doc-1' }],
    });
  });

  it('a kiosk code opens the kiosk page; a ward-bed code the page that explains it', () => {
    expect(destinationOf(view('k1', { kind: 'kiosk', orgId: 'o1', kioskId: 'kiosk-7' }))).toEqual({ name: 'kiosk', params: [{ kioskId: 'kiosk-7' }] });
    // The kiosk's on-screen QR: the page opens with the one-time code filled in.
    expect(destinationOf(view('k1', { kind: 'kiosk', orgId: 'o1', kioskId: 'kiosk-7' }), '042917')).toEqual({ name: 'kiosk', params: [{ kioskId: 'kiosk-7', code: '042917' }] });
    expect(destinationOf(view('b1', { kind: 'bed', orgId: 'o1', ward: '5A', bed: '12' }))).toEqual({ name: 'qrTarget', params: [{ code: 'b1' }] });
  });

  it('a department code scanned on the day of an appointment there opens that appointment to check in', async () => {
    const dept = view('dept-station', { kind: 'department', orgId: 'o1', deptId: 'dept-1' });
    const lookups = { resolve: async () => ({ ...dept, org }), myActive: async () => [appt({ department: { id: 'other', name: 'x' } }), appt({ id: 'ap-2' })] };
    expect(await qrDestination({ kind: 'qr', code: 'dept-station', source: 'scan' }, lookups)).toEqual({
      name: 'appointmentDetail',
      params: [{ appointmentId: 'ap-2', qr: 'dept-station' }],
    });
  });

  it('without an appointment to check in today (or logged out) the same code opens the doctors to book', async () => {
    const dept = view('dept-station', { kind: 'department', orgId: 'o1', deptId: 'dept-1' });
    const notToday = { resolve: async () => dept, myActive: async () => [appt({ canCheckIn: false })] };
    const loggedOut = { resolve: async () => dept, myActive: async () => null };
    const failing = { resolve: async () => dept, myActive: () => Promise.reject(new Error('offline')) };
    for (const lookups of [notToday, loggedOut, failing]) {
      expect(await qrDestination({ kind: 'qr', code: 'dept-station', source: 'h5' }, lookups)).toEqual({ name: 'bookingDoctors', params: [{ deptId: 'dept-1' }] });
    }
  });

  it('a code the server does not know opens the qrTarget page (which shows why)', async () => {
    const lookups = { resolve: () => Promise.reject(new Error('404')), myActive: async () => [] };
    expect(await qrDestination({ kind: 'qr', code: 'gone', source: 'h5' }, lookups)).toEqual({ name: 'qrTarget', params: [{ code: 'gone' }] });
  });
});
