import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isZip, unzip } from './zip';

/** A zip as Alipay builds it: GBK file names (no UTF-8 flag), deflated GBK content. */
function zipOf(files: { name: Buffer; data: Buffer; store?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const body = f.store ? f.data : deflateRawSync(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(f.store ? 0 : 8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(f.name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(f.store ? 0 : 8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(f.name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, f.name, body);
    centrals.push(central, f.name);
    offset += 30 + f.name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

// "业务明细" and "中文" in GBK.
const gbk = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex');
const DETAIL = Buffer.concat([Buffer.from('2088_20250601_'), gbk('d2b5 cef1 c3f7 cfb8'), Buffer.from('.csv')]);

describe('unzip', () => {
  it('reads deflated and stored entries with GBK names', () => {
    const z = zipOf([{ name: DETAIL, data: gbk('d6d0 cec4 0d0a') }, { name: Buffer.from('readme.txt'), data: Buffer.from('hello'), store: true }]);
    expect(isZip(z)).toBe(true);
    const files = unzip(z);
    expect(files.map((f) => f.name)).toEqual(['2088_20250601_业务明细.csv', 'readme.txt']);
    expect(new TextDecoder('gbk').decode(files[0].data)).toBe('中文\r\n');
    expect(files[1].data.toString()).toBe('hello');
  });

  it('refuses what is not a zip', () => {
    expect(isZip(Buffer.from('交易号,商户订单号'))).toBe(false);
    expect(() => unzip(Buffer.alloc(40))).toThrow('not a zip file');
  });
});
