/**
 * `npm test`: typecheck, unit + integration tests (DynamoDB Local), weapp and alipay builds with
 * the package-size budget, the deployable artifact (`osls package`), and the browser e2e
 * (Debian Chromium + playwright-core against the H5 build, serverless offline, DynamoDB Local).
 * `npm test -- --quick` stops after the unit and integration tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from './lib/dynamo';
import { buildH5IfStale } from './lib/build';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.TZ = 'Asia/Shanghai';
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
mkdirSync(resolve(ROOT, '.data'), { recursive: true });

const counts = { passed: 0, failed: 0 };
const timings: string[] = [];

function step(name: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  if (only && !name.startsWith(only)) return;
  console.log(`\n━━ ${name}: ${cmd} ${args.join(' ')}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  timings.push(`${name.padEnd(28)} ${((Date.now() - t) / 1000).toFixed(1)} s ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) {
    counts.failed++;
    finish(1);
  }
}

/** Adds a vitest JSON report's test counts to the summary. */
function countVitest(file: string) {
  if (!existsSync(file)) return;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  counts.passed += j.numPassedTests ?? 0;
  counts.failed += j.numFailedTests ?? 0;
}

function finish(code: number): never {
  console.log('\n━━ summary');
  for (const t of timings) console.log('  ' + t);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(code);
}

const bin = (n: string) => resolve(ROOT, 'node_modules/.bin', n);
const vitestJson = resolve(ROOT, '.data/vitest-report.json');
const e2eJson = resolve(ROOT, '.data/e2e-report.json');

step('typecheck', 'npm', ['run', 'typecheck']);
step('unit + integration', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
countVitest(vitestJson);
if (quick) finish(0);
step('build weapp', 'npm', ['run', 'build:weapp', '-w', 'miniprogram'], { NODE_ENV: 'production' });
step('build alipay', 'npm', ['run', 'build:alipay', '-w', 'miniprogram'], { NODE_ENV: 'production' });
step('package size budget', 'npm', ['run', 'check-size', '-w', 'miniprogram']);
step('osls package (prod artifact)', bin('osls'), ['package', '--stage', 'prod', '--package', '.serverless-prod'], { SLS_TELEMETRY_DISABLED: '1' });
if (!only || 'e2e'.startsWith(only)) await buildH5IfStale(true);
step('e2e (Chromium)', bin('vitest'), ['run', '--config', 'e2e/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${e2eJson}`]);
countVitest(e2eJson);
finish(0);
