import { beforeEach, describe, expect, it } from 'vitest';
import { navigations, resetShim } from '../test/taro-shim';
import { lastQr, noteLaunch, openLaunchTarget, takePendingLaunch } from './launch-handler';

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
  it('remembers the code and opens the booking entry with it (until GET /v1/qr/{code} exists)', async () => {
    await openLaunchTarget({ kind: 'qr', code: 'ST02', source: 'h5' }, 'redirect');
    expect(navigations).toEqual([{ api: 'redirectTo', url: '/packages/booking/pages/index/index?qr=ST02' }]);
    expect(lastQr()).toMatchObject({ code: 'ST02', source: 'h5' });
  });
});
