/**
 * Package size check for the mini-program builds.
 *
 *   node --import tsx miniprogram/scripts/check-size.ts            # dist/weapp and dist/alipay
 *   node --import tsx miniprogram/scripts/check-size.ts weapp      # one target
 *
 * Reads each build's app.json, counts every file under a subpackage root towards that
 * subpackage and everything else towards the main package, prints a table and exits 1 when
 * the main package is over its budget (1 MB) or any package over the platform limit (2 MB,
 * WeChat and Alipay alike). Sizes are of the built files, which is what the IDEs upload.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export const MB = 1024 * 1024;
/** Our budget for the first download: keep the start fast on a weak mountain-top signal. */
export const MAIN_BUDGET = 1 * MB;
/** WeChat: main and each subpackage <= 2 MB; Alipay: 2 MB per package. */
export const PACKAGE_LIMIT = 2 * MB;

export interface PackageSize {
  name: string;
  root: string;
  bytes: number;
  files: number;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Files the IDEs do not upload (licence notes, source maps, local tooling). */
const ignored = (rel: string) => /\.(map|LICENSE\.txt)$/.test(rel) || rel.startsWith('.');

/** Sizes of the main package and every subpackage of one build directory. */
export function measure(buildDir: string): PackageSize[] {
  const appJson = JSON.parse(readFileSync(join(buildDir, 'app.json'), 'utf8')) as {
    subPackages?: { root: string; name?: string }[];
    subpackages?: { root: string; name?: string }[];
  };
  const subs = (appJson.subPackages ?? appJson.subpackages ?? []).map((s) => ({
    name: s.name ?? s.root,
    root: s.root.replace(/^\/+|\/+$/g, ''),
  }));
  const main: PackageSize = { name: 'main', root: '', bytes: 0, files: 0 };
  const packages = new Map(subs.map((s) => [s.root, { ...s, bytes: 0, files: 0 } as PackageSize]));
  for (const file of walk(buildDir)) {
    const rel = relative(buildDir, file).split(sep).join('/');
    if (ignored(rel)) continue;
    const size = statSync(file).size;
    const owner = subs.find((s) => rel === s.root || rel.startsWith(`${s.root}/`));
    const pkg = owner ? packages.get(owner.root)! : main;
    pkg.bytes += size;
    pkg.files += 1;
  }
  return [main, ...packages.values()];
}

/** Problems with one build's sizes; empty when it is within budget. */
export function problems(target: string, sizes: PackageSize[]): string[] {
  const out: string[] = [];
  for (const p of sizes) {
    if (p.bytes > PACKAGE_LIMIT) out.push(`${target} ${p.name}: ${kb(p.bytes)} is over the 2 MB package limit`);
  }
  const main = sizes.find((p) => p.name === 'main');
  if (main && main.bytes > MAIN_BUDGET) out.push(`${target} main package: ${kb(main.bytes)} is over the 1 MB budget`);
  return out;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function table(target: string, sizes: PackageSize[]): string {
  const rows = sizes.map((p) => [p.name, String(p.files), kb(p.bytes), `${((p.bytes / PACKAGE_LIMIT) * 100).toFixed(1)}%`]);
  const total = sizes.reduce((n, p) => n + p.bytes, 0);
  rows.push(['total', String(sizes.reduce((n, p) => n + p.files, 0)), kb(total), '']);
  const head = ['package', 'files', 'size', 'of 2 MB'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [`${target}:`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function main(argv: string[]): number {
  const distRoot = resolve(import.meta.dirname, '..', 'dist');
  const targets = argv.length ? argv : ['weapp', 'alipay'];
  const found: string[] = [];
  for (const target of targets) {
    const dir = join(distRoot, target);
    if (!existsSync(join(dir, 'app.json'))) {
      found.push(`${target}: no build at ${dir} (run npm run build:${target} -w miniprogram first)`);
      continue;
    }
    const sizes = measure(dir);
    console.log(`${table(target, sizes)}\n`);
    found.push(...problems(target, sizes));
  }
  if (found.length) {
    for (const p of found) console.error(`✖ ${p}`);
    return 1;
  }
  console.log(`✔ main package within ${kb(MAIN_BUDGET)}, every package within ${kb(PACKAGE_LIMIT)}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exitCode = main(process.argv.slice(2));
}
