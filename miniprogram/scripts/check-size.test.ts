import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MB, measure, problems } from './check-size';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function build(files: Record<string, number>, subPackages: string[]) {
  dir = mkdtempSync(join(tmpdir(), 'size-'));
  writeFileSync(join(dir, 'app.json'), JSON.stringify({ pages: [], subPackages: subPackages.map((root) => ({ root, pages: [] })) }));
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), Buffer.alloc(bytes));
  }
  return dir;
}

describe('package sizes', () => {
  it('counts files under a subpackage root to it, the rest (and look-alike folders) to main', () => {
    const d = build(
      {
        'app.js': 1000,
        'pages/index/index.js': 500,
        'packages/booking/pages/index/index.js': 300,
        'packages/booking-extra/x.js': 7, // not under "packages/booking/"
        'vendors.js.LICENSE.txt': 99_999, // not uploaded
      },
      ['packages/booking'],
    );
    const sizes = measure(d);
    const appJson = JSON.stringify({ pages: [], subPackages: [{ root: 'packages/booking', pages: [] }] }).length;
    expect(sizes.find((p) => p.name === 'main')!.bytes).toBe(1000 + 500 + 7 + appJson);
    expect(sizes.find((p) => p.name === 'packages/booking')!.bytes).toBe(300);
  });

  it('fails a main package over the 1 MB budget and any package over 2 MB', () => {
    expect(problems('weapp', [{ name: 'main', root: '', bytes: MB, files: 1 }])).toEqual([]);
    expect(problems('weapp', [{ name: 'main', root: '', bytes: MB + 1, files: 1 }])).toHaveLength(1);
    expect(
      problems('alipay', [
        { name: 'main', root: '', bytes: 10, files: 1 },
        { name: 'packages/visits', root: 'packages/visits', bytes: 2 * MB + 1, files: 1 },
      ]),
    ).toEqual([expect.stringContaining('packages/visits')]);
  });
});
