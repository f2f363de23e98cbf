/**
 * Cold start of every deployable function, as Lambda pays it when a container starts (a 放号 rush
 * scales out many): node starts, imports the function's bundle from its `osls package` zip, and
 * answers one invocation — all in a fresh process, timed from spawn to exit. Compared with
 * `node -e 0` measured in the same run, interleaved with the functions (the machine is noisy).
 *
 * The invocation is the function's first contract route with a token of a role it admits (or a
 * scheduled event, or a WebSocket $connect without a token), against DynamoDB Local with the
 * table created, secrets in the environment as a test stage has them (no SSM round trip).
 * Judged by: health ≤ 1.5× bare node, every function ≤ 2×, medians of ROUNDS runs each.
 *
 * `BENCH_REUSE_PACKAGE=1` reuses `.serverless/` from an earlier `osls package --stage prod`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { unzipSync } from 'fflate';

const ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const HEALTH_TARGET = 1.5;
const TARGET = 2;

interface Fn {
  name: string;
  handler: string;
  artifact: string;
  events: Record<string, unknown>[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Spawn → exit in ms, and what the child printed. */
function timed(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; out: string }> {
  return new Promise((done, fail) => {
    const t = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done({ ms: performance.now() - t, out }) : fail(new Error(`exit ${code}: ${err.slice(-800)}`))));
  });
}

// The child: import the bundle, call the handler once, say what it answered, exit at once
// (Lambda freezes the container; open sockets must not keep the process).
const CHILD = `
const [bundle, name, eventFile] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const m = await import(bundle);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const ctx = { awsRequestId: 'cold-' + process.pid, functionName: 'bench', getRemainingTimeInMillis: () => 10000, callbackWaitsForEmptyEventLoop: false };
const r = await m[name](event, ctx);
process.stdout.write(String(r?.statusCode ?? 'ok'));
process.exit(0);
`;

export default async function () {
  if (process.env.BENCH_REUSE_PACKAGE !== '1' || !existsSync(join(ROOT, '.serverless/serverless-state.json'))) {
    console.log('packaging   osls package --stage prod …');
    const p = spawnSync('npx', ['osls', 'package', '--stage', 'prod'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (p.status !== 0) throw new Error('osls package failed');
  }
  const state = JSON.parse(readFileSync(join(ROOT, '.serverless/serverless-state.json'), 'utf8'));
  const fns: Fn[] = Object.entries(state.service.functions as Record<string, { handler: string; events: Record<string, unknown>[]; package: { artifact: string } }>).map(
    ([name, f]) => ({ name, handler: f.handler, artifact: f.package.artifact, events: f.events }),
  );

  const { startDynamo, ensureTable } = await import('../scripts/lib/dynamo');
  const { freePort } = await import('../scripts/lib/proc');
  const dynamo = await startDynamo({ port: await freePort() });
  const tableName = `bench-cold-${Date.now()}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'Asia/Shanghai', NODE_OPTIONS: '',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'cn-northwest-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: tableName, STAGE: 'test', PROVIDER_MODE: 'sandbox', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_SERVICE_NAME: 'internet-hospital',
    JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef', PERSON_KEY_SECRET: 'bench-person-key-secret-0123456789abcdef',
    FIELD_DATA_KEY: Buffer.alloc(32, 7).toString('base64'), AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1',
  };
  const work = mkdtempSync(join(tmpdir(), 'coldstart-'));
  try {
    await ensureTable(dynamo.endpoint, tableName);
    Object.assign(process.env, { JWT_SECRET: env.JWT_SECRET, STAGE: 'test' });
    const { api, routeKey } = await import('@hospital/shared');
    const { issueAccessToken } = await import('../functions/src/lib/tokens');
    const { event } = await import('../functions/test/http');
    const routes = new Map(Object.values(api).flatMap((f) => Object.values(f)).map((r) => [routeKey(r), r]));

    const child = join(work, 'child.mjs');
    writeFileSync(child, CHILD);
    const plan: { fn: Fn; bundle: string; exportName: string; eventFile: string; kb: number; what: string }[] = [];
    for (const fn of fns) {
      const dir = join(work, fn.name);
      for (const [path, data] of Object.entries(unzipSync(readFileSync(fn.artifact)))) {
        if (path.endsWith('/')) continue;
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), data);
      }
      const dot = fn.handler.lastIndexOf('.');
      const bundle = join(dir, `${fn.handler.slice(0, dot)}.mjs`);
      let ev: unknown;
      let what: string;
      const first = fn.events[0];
      if (typeof first.httpApi === 'string' && first.httpApi !== '*') {
        const key = fn.events.map((e) => e.httpApi as string).find((k) => k.startsWith('GET ') && Array.isArray(routes.get(k)?.access)) ?? first.httpApi;
        const r = routes.get(key)!;
        const token = Array.isArray(r.access)
          ? (await issueAccessToken({ userId: 'u-cold', roles: [r.access[0]], memberships: [], name: '冷启动', sessionId: 'cold-session' })).token
          : undefined;
        const params = Object.fromEntries([...r.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 'cold-1']));
        ev = event(r, { params, token });
        what = `${key.replace(/\{\w+\}/g, 'x')}`;
      } else if (first.httpApi === '*') {
        ev = event({ method: 'GET', path: '/v1/nowhere' });
        what = 'GET /v1/nowhere';
      } else if (first.schedule) {
        ev = { version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} };
        what = 'schedule';
      } else {
        const route = String((first.websocket as { route: string }).route);
        ev = { requestContext: { routeKey: route, connectionId: 'cold-conn', eventType: route === '$connect' ? 'CONNECT' : route === '$disconnect' ? 'DISCONNECT' : 'MESSAGE', domainName: 'localhost', stage: 'test' }, queryStringParameters: {}, body: '{"action":"ping"}' };
        what = `ws ${route}`;
      }
      const eventFile = join(work, `${fn.name}.event.json`);
      writeFileSync(eventFile, JSON.stringify(ev));
      plan.push({ fn, bundle, exportName: fn.handler.slice(dot + 1), eventFile, kb: statSync(bundle).size / 1024, what });
    }

    // One warm-up of each (file cache), then ROUNDS rounds, bare node before every function.
    const bare: number[] = [];
    const times = new Map<string, number[]>(plan.map((p) => [p.fn.name, []]));
    const answers = new Map<string, string>();
    for (const p of plan) answers.set(p.fn.name, (await timed([child, p.bundle, p.exportName, p.eventFile], env)).out);
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of plan) {
        bare.push((await timed(['-e', '0'], env)).ms);
        times.get(p.fn.name)!.push((await timed([child, p.bundle, p.exportName, p.eventFile], env)).ms);
      }
    }
    const base = median(bare);
    console.log(`bare node   node -e 0: ${base.toFixed(1)} ms (median of ${bare.length})`);
    console.log(`${'function'.padEnd(26)} ${'bundle'.padStart(8)} ${'cold'.padStart(9)} ${'ratio'.padStart(6)} target  answered  invocation`);
    let failed = 0;
    for (const p of plan) {
      const t = median(times.get(p.fn.name)!);
      const target = p.fn.name === 'health' ? HEALTH_TARGET : TARGET;
      const ratio = t / base;
      const ok = ratio <= target;
      if (!ok) failed++;
      console.log(
        `${p.fn.name.padEnd(26)} ${`${p.kb.toFixed(0)} KB`.padStart(8)} ${`${t.toFixed(1)} ms`.padStart(9)} ${`${ratio.toFixed(2)}×`.padStart(6)} ≤ ${target.toFixed(1)}×  ${(answers.get(p.fn.name) ?? '').padEnd(8)}  ${p.what}${ok ? '' : '  ← over'}`,
      );
    }
    const worst = Math.max(...plan.map((p) => median(times.get(p.fn.name)!) / base));
    console.log(`ratio       worst ${worst.toFixed(2)}× bare node (target ≤ ${TARGET}×; health ≤ ${HEALTH_TARGET}×)`);
    console.log(failed ? `result      FAILED (${failed} over target)` : 'result      ok');
    if (failed) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
    await dynamo.stop();
  }
}
