import { describe, expect, it } from 'vitest';
import { codeFromUrl, resolveLaunch } from './launch';

const printed = 'https://h5.hospital.cn/qr?c=st-taishan-01';

describe('a printed QR code opens the same target on every platform', () => {
  it('H5: the camera opens /qr?c=<code> and the page gets c', () => {
    expect(resolveLaunch({ c: 'st-taishan-01' })).toEqual({ kind: 'qr', code: 'st-taishan-01', source: 'h5' });
  });

  it('WeChat: the URL arrives URL-encoded in q', () => {
    expect(resolveLaunch({ q: encodeURIComponent(printed) })).toEqual({
      kind: 'qr',
      code: 'st-taishan-01',
      source: 'wechat',
      url: printed,
    });
  });

  it('WeChat: a q that was encoded twice, or not at all, still works', () => {
    expect(resolveLaunch({ q: encodeURIComponent(encodeURIComponent(printed)) })?.code).toBe('st-taishan-01');
    expect(resolveLaunch({ q: printed })?.code).toBe('st-taishan-01');
  });

  it('Alipay: the URL arrives as qrCode', () => {
    expect(resolveLaunch({ qrCode: printed })).toEqual({
      kind: 'qr',
      code: 'st-taishan-01',
      source: 'alipay',
      url: printed,
    });
  });

  it('a kiosk’s on-screen QR carries its one-time code (k) on every platform; anything but six digits is dropped', () => {
    const onScreen = 'https://h5.hospital.cn/qr?c=kiosk-taishan-01&k=042917';
    expect(resolveLaunch({ c: 'kiosk-taishan-01', k: '042917' })).toEqual({ kind: 'qr', code: 'kiosk-taishan-01', source: 'h5', kioskCode: '042917' });
    expect(resolveLaunch({ q: encodeURIComponent(onScreen) })).toMatchObject({ code: 'kiosk-taishan-01', source: 'wechat', kioskCode: '042917' });
    expect(resolveLaunch({ qrCode: onScreen })).toMatchObject({ source: 'alipay', kioskCode: '042917' });
    expect(resolveLaunch({ c: 'kiosk-taishan-01', k: '04291x' })).toEqual({ kind: 'qr', code: 'kiosk-taishan-01', source: 'h5' });
    expect(codeFromUrl('https://h5.hospital.cn/qr?k=1234567&c=kiosk-1')).toEqual({ code: 'kiosk-1', url: 'https://h5.hospital.cn/qr?k=1234567&c=kiosk-1' });
  });

  it('the in-app scanner feeds its raw text as scan', () => {
    expect(resolveLaunch({ scan: printed })).toMatchObject({ code: 'st-taishan-01', source: 'scan' });
  });

  it('other query parameters, a trailing slash, a fragment and a path prefix do not matter', () => {
    expect(resolveLaunch({ qrCode: 'https://h5.hospital.cn/h5/qr/?from=poster&c=DEPT_07#top' })?.code).toBe('DEPT_07');
    expect(resolveLaunch({ q: encodeURIComponent('http://127.0.0.1:10086/qr?c=abc&x=1'), scene: '1011' })?.code).toBe(
      'abc',
    );
  });

  it('an array value (some hosts repeat keys) uses the first', () => {
    expect(resolveLaunch({ c: ['A1', 'B2'] })?.code).toBe('A1');
  });

  it('c wins over q when both are present (H5 page URL carries c itself)', () => {
    expect(resolveLaunch({ c: 'direct', q: encodeURIComponent('https://x.cn/qr?c=other') })?.code).toBe('direct');
  });
});

describe('anything else is not a launch target', () => {
  it.each([
    ['nothing', undefined],
    ['null', null],
    ['an empty query', {}],
    ['a normal launch', { scene: '1001', path: 'pages/index/index' }],
    ['an empty code', { c: '' }],
    ['blank code', { c: '   ' }],
    ['code with a slash', { c: '../admin' }],
    ['code with spaces', { c: 'a b' }],
    ['script in the code', { c: '<script>alert(1)</script>' }],
    ['a code longer than 64', { c: 'x'.repeat(65) }],
    ['a number instead of a string', { c: 42 }],
    ['an object', { q: { url: printed } }],
    ['a URL with another path', { q: encodeURIComponent('https://h5.hospital.cn/pay?c=abc') }],
    ['a path that merely ends in qr', { q: encodeURIComponent('https://h5.hospital.cn/faqr?c=abc') }],
    ['a URL without c', { qrCode: 'https://h5.hospital.cn/qr?code=abc' }],
    ['a URL with an empty c', { qrCode: 'https://h5.hospital.cn/qr?c=' }],
    ['a URL with a bad c', { qrCode: 'https://h5.hospital.cn/qr?c=%E4%BD%A0%E5%A5%BD' }],
    ['a malformed escape', { q: 'https%3A%2F%2Fh5.hospital.cn%2Fqr%3Fc%3D%E0%A4%A' }],
    ['not a URL', { scan: 'hello world' }],
    ['a barcode', { scan: '6901234567892' }],
    ['a javascript: URL', { scan: 'javascript:alert(1)//qr?c=abc' }],
    ['a mini-program path', { scan: 'pages/qr/index?c=abc' }],
  ])('%s', (_label, query) => {
    expect(resolveLaunch(query as never)).toBeNull();
  });
});

describe('origins', () => {
  const options = { origins: ['https://h5.hospital.cn'] };

  it('accepts our own origin (any case, trailing slash in the setting)', () => {
    expect(resolveLaunch({ scan: 'HTTPS://H5.Hospital.cn/qr?c=abc' }, options)?.code).toBe('abc');
    expect(resolveLaunch({ scan: printed }, { origins: ['https://h5.hospital.cn/'] })?.code).toBe('st-taishan-01');
  });

  it('ignores a code URL from anyone else', () => {
    expect(resolveLaunch({ scan: 'https://evil.example/qr?c=abc' }, options)).toBeNull();
    expect(resolveLaunch({ scan: 'https://h5.hospital.cn.evil.example/qr?c=abc' }, options)).toBeNull();
    expect(resolveLaunch({ scan: 'http://h5.hospital.cn/qr?c=abc' }, options)).toBeNull();
  });

  it('does not apply to a bare c (the H5 page is already on our origin)', () => {
    expect(resolveLaunch({ c: 'abc' }, options)?.code).toBe('abc');
  });
});

describe('codeFromUrl', () => {
  it('returns the decoded URL with the code', () => {
    expect(codeFromUrl(encodeURIComponent(printed))).toEqual({ code: 'st-taishan-01', url: printed });
  });
});
