/**
 * `npm run fuzz`: the long run of the shared fuzz (functions/test/fuzz.ts) — at least 60,000
 * requests spread over every route of the contract, through the real handlers in process, against
 * DynamoDB Local in memory with the demo data seeded and the provider sandboxes running.
 *
 * Prints the number of requests, of 5xx (target 0), the count per status, the routes that
 * answered 5xx and the first problems found (each with the request, to reproduce). Exits 1 when
 * anything was found. Not part of `npm test`: `functions/test/fuzz.test.ts` is the short run.
 *
 *   FUZZ_REQUESTS (default 60000) · FUZZ_CONCURRENCY (8) · FUZZ_SEED (random; printed)
 *   FUZZ_ONLY=feature[,feature] to aim at some features
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 60_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ONLY = process.env.FUZZ_ONLY?.split(',').filter(Boolean);
/** Requests drawn per route at a time: routes take turns, so ids learnt on one reach the others. */
const BATCH = 20;

async function pool<T>(items: T[], c: number, task: (x: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(c, items.length) }, async () => {
    while (next < items.length) await task(items[next++]);
  }));
}

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { startDynamo } = await import('./lib/dynamo');
  const { freePort } = await import('./lib/proc');
  const dynamo = await startDynamo({ port: await freePort() });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'cn-northwest-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
    STAGE: 'test', TZ: process.env.TZ ?? 'Asia/Shanghai',
    JWT_SECRET: 'fuzz-secret-0123456789abcdef0123456789abcdef',
    PERSON_KEY_SECRET: 'fuzz-person-key-secret-0123456789abcdef',
    FIELD_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
    // Errors only: each 5xx logs its stack (what to fix), nothing else is printed.
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'fuzz-')),
  });
  try {
    // Imported only now: the SDK client reads the endpoint from the environment when built.
    const fc = (await import('fast-check')).default;
    const { api } = await import('@hospital/shared');
    const { fuzzTargets, requestArb, fuzzOnce, FuzzStats, describeRequest } = await import('../functions/test/fuzz');
    const { featureHandlers, fuzzWorld } = await import('../functions/test/fuzz-world');
    const t0 = performance.now();
    const world = await fuzzWorld({ tableName: `internet-hospital-fuzz-${Date.now()}` });
    const targets = fuzzTargets(api, featureHandlers).filter((t) => !ONLY || ONLY.includes(t.feature));
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${targets.length} routes, ${world.ids.length} known ids; seed ${SEED}, concurrency ${CONCURRENCY}`);
    const stats = new FuzzStats();
    const arbs = new Map(targets.map((t) => [t, requestArb(t, world)]));
    const perRoute = Math.ceil(REQUESTS / targets.length);
    const t1 = performance.now();
    let round = 0;
    for (let sent = 0; sent < perRoute; sent += BATCH, round++) {
      const n = Math.min(BATCH, perRoute - sent);
      const work = targets.flatMap((t) => fc.sample(arbs.get(t)!, { numRuns: n, seed: SEED + round * 7919 + targets.indexOf(t) }).map((req) => ({ t, req })));
      await pool(work, CONCURRENCY, async ({ t, req }) => void (await fuzzOnce(t, req, world, stats)));
      if (round % 5 === 4) process.stdout.write(`  … ${stats.requests} requests, ${stats.fiveXX} × 5xx\n`);
    }
    const seconds = (performance.now() - t1) / 1000;
    await world.close();

    console.log(`\nrequests: ${stats.requests} in ${seconds.toFixed(1)} s (${(stats.requests / seconds).toFixed(0)}/s) over ${targets.length} routes`);
    console.log(`5xx: ${stats.fiveXX} (target 0)`);
    console.log('per status:');
    for (const [status, count] of [...stats.byStatus].sort((a, b) => a[0] - b[0])) console.log(`  ${status}  ${count}`);
    const bad = [...stats.byRoute].filter(([, r]) => r.fiveXX > 0);
    if (bad.length) {
      console.log('routes that answered 5xx:');
      for (const [key, r] of bad) console.log(`  ${key}: ${r.fiveXX} of ${r.requests}`);
    }
    console.log(`answers with a problem (5xx, error format, headers, an accepted over-long id): ${stats.withProblems}`);
    for (const f of stats.failures.slice(0, 10)) console.log(`\n✗ ${f.route}\n  ${f.problems.join('\n  ')}\n  ${describeRequest(f.request)}`);
    process.exitCode = stats.withProblems ? 1 : 0;
  } finally {
    await dynamo.stop();
  }
}

await main();
process.exit(process.exitCode ?? 0);
