/**
 * What the rate limits cost on the hot booking path (放号), in one run against DynamoDB Local in
 * memory, through the full handler stack in process (JWT, session check, validation, limits,
 * ownership check, sharded place write) — the release-morning rush of `bench/booking.bench.ts`.
 *
 * Two handlers share everything but the limit: "on" is the booking route as deployed (the default
 * per-account limit, counted in the transaction that takes a place; a refusal that writes nothing
 * is counted in the container); "off" is the same route marked never-limited, which only a bench
 * may do (the contract test allows it for the SOS alone). Rounds alternate which goes first.
 *
 * Rush: 2,000 residents at once for 50 places, each way → p50 latency (and what the limit adds),
 * requests/s, the fill ratio (appointments ÷ places: 1.00 both ways, no oversell) and the time
 * until the session is full. Medians of ROUNDS rounds each way (the engine is noisy).
 * Judged by: p50 on ÷ off ≤ 1.10 and requests/s off ÷ on ≤ 1.10 (at most 10 % slower), fill 1.00.
 *
 * Also printed, not judged: a booking that succeeds, one at a time (alternating on/off). There the
 * limit is one more item in the booking's transaction; DynamoDB Local charges ~3 ms per
 * transaction item (a 3-item transaction ~13 ms, 4 items ~16 ms, measured on this machine),
 * DynamoDB runs a transaction's items together.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 400);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const PLACES = Number(process.env.BENCH_PLACES ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const TARGET = 1.1;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs: number[]) => pct(xs, 50);
const ms = (x: number) => `${x.toFixed(2)} ms`;

export default async function () {
  const { startDynamo, ensureTable } = await import('../scripts/lib/dynamo');
  const { freePort } = await import('../scripts/lib/proc');
  const dynamo = await startDynamo({ port: await freePort() });
  const tableName = `bench-limits-${Date.now()}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'cn-northwest-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: tableName, STAGE: 'test', JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef', POWERTOOLS_LOG_LEVEL: 'ERROR',
    PERSON_KEY_SECRET: 'bench-person-key-secret-0123456789abcdef', FIELD_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
  });
  try {
    await ensureTable(dynamo.endpoint, tableName);
    // Imported only now: the SDK client reads the endpoint from the environment when built.
    const { api } = await import('@hospital/shared');
    const { featureHandler } = await import('../functions/src/lib/http/index');
    const { rulesFor } = await import('../functions/src/lib/http/rate-limits');
    const booking = await import('../functions/src/booking/service');
    const { event, tokenFor } = await import('../functions/test/http');
    const { addPatient } = await import('../functions/src/patients/store');
    const { getSchedule } = await import('../functions/src/catalog/schedule-store');
    const { listBySchedule } = await import('../functions/src/booking/store');
    const { makeCatalog, makeSchedule, idNumber } = await import('../functions/src/booking/test-fixtures');

    // As functions/src/booking/handler.ts binds it (the service handles its Idempotency-Key).
    const deployed = { ...api.booking.book, idempotency: undefined };
    const off = { ...deployed, rateLimit: { neverRefuse: 'bench only: the same route without its limit' } };
    const handlers = {
      on: featureHandler({ book: deployed }, { book: ({ principal, body, headers, admission }) => booking.book(principal.userId, body, headers, admission) }),
      off: featureHandler({ book: off }, { book: ({ principal, body, headers, admission }) => booking.book(principal.userId, body, headers, admission) }),
    };
    const limitsOn = rulesFor(deployed);
    if (!limitsOn.length) throw new Error('the booking route has no limit to measure');

    // Residents: one account and one person each, with a token, prepared before the runs.
    const catalog = await makeCatalog();
    const now = new Date().toISOString();
    const people: { userId: string; patientId: string; token: string }[] = [];
    const total = Math.max(REQUESTS, SEQUENTIAL);
    for (let i = 0; i < total; i += 100) {
      people.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(100, total - i) }, async (_, j) => {
            const userId = `u-bench-${i + j}`;
            const patientId = `p-bench-${i + j}`;
            await addPatient({ patientId, userId, name: '测试居民', relation: 'self', phone: '13800000000', idNumber: idNumber('19800101', (i + j) % 1000), sex: 'male', birthDate: '1980-01-01', verification: { state: 'unverified' }, createdAt: now, updatedAt: now });
            return { userId, patientId, token: await tokenFor(['patient'], userId) };
          }),
        )),
      );
    }
    const context = () => ({ awsRequestId: randomUUID(), functionName: 'booking', getRemainingTimeInMillis: () => 120_000 });
    const book = async (mode: 'on' | 'off', scheduleId: string, p: (typeof people)[number]) => {
      const e = event(api.booking.book, { body: { scheduleId, patientId: p.patientId }, token: p.token, headers: { 'idempotency-key': `bench-${randomUUID()}` } });
      const r = (await handlers[mode](e, context() as never)) as { statusCode: number; body: string };
      return r.statusCode;
    };

    // Warm both paths (JIT, connection pool, the revocation list) on a session of their own.
    const warm = await makeSchedule(catalog, { capacity: 400 });
    await Promise.all(people.slice(0, 200).map((p, i) => book(i % 2 ? 'on' : 'off', warm.id, p)));

    // 1. A booking that succeeds, one at a time, alternating.
    const seq = await makeSchedule(catalog, { capacity: SEQUENTIAL });
    const lat = { on: [] as number[], off: [] as number[] };
    for (let i = 0; i < SEQUENTIAL; i++) {
      const mode = i % 2 ? 'on' : 'off';
      const t = performance.now();
      const status = await book(mode, seq.id, people[i]);
      lat[mode].push(performance.now() - t);
      if (status !== 201) throw new Error(`sequential booking ${i} (${mode}) answered ${status}`);
    }

    // 2. The rush, rounds alternating which mode goes first.
    type Rush = { seconds: number; fillSeconds: number; filled: number; oversell: number; others: number; p50: number };
    const rush: Record<'on' | 'off', Rush[]> = { on: [], off: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const session = await makeSchedule(catalog, { capacity: PLACES });
        const latencies: number[] = [];
        const t0 = performance.now();
        let lastSuccess = 0;
        const statuses = await Promise.all(
          people.slice(0, REQUESTS).map(async (p) => {
            const t = performance.now();
            const s = await book(mode, session.id, p);
            latencies.push(performance.now() - t);
            if (s === 201) lastSuccess = performance.now();
            return s;
          }),
        );
        const seconds = (performance.now() - t0) / 1000;
        const appointments = (await listBySchedule(session.id)).length;
        const after = (await getSchedule(session.id, true))!;
        rush[mode].push({
          seconds,
          fillSeconds: (lastSuccess - t0) / 1000,
          filled: appointments,
          oversell: Math.max(0, appointments - PLACES) + after.shards.filter((s) => s.left < 0).length,
          others: statuses.filter((s) => s !== 201 && s !== 409).length,
          p50: pct(latencies, 50),
        });
      }
    }

    const of = (mode: 'on' | 'off', f: (r: Rush) => number) => median(rush[mode].map(f));
    const p50 = { on: of('on', (r) => r.p50), off: of('off', (r) => r.p50) };
    const rate = { on: REQUESTS / of('on', (r) => r.seconds), off: REQUESTS / of('off', (r) => r.seconds) };
    const fill = { on: of('on', (r) => r.fillSeconds), off: of('off', (r) => r.fillSeconds) };
    const filledRatio = (mode: 'on' | 'off') => Math.min(...rush[mode].map((r) => r.filled)) / PLACES;
    const oversell = [...rush.on, ...rush.off].reduce((n, r) => n + r.oversell, 0);
    const others = [...rush.on, ...rush.off].reduce((n, r) => n + r.others, 0);
    const latencyRatio = p50.on / p50.off;
    const rateRatio = rate.off / rate.on;
    const seqP50 = { on: median(lat.on), off: median(lat.off) };
    const pctSlower = (r: number) => `${((r - 1) * 100).toFixed(1)} %`;

    console.log(`limit on the route      ${limitsOn.map((r) => `${r.max}/${r.windowSeconds}s per ${r.per}`).join(', ')} (counted in the booking's transaction; a refusal that writes nothing, in the container)`);
    console.log(`rush                    ${ROUNDS} × ${REQUESTS} requests for ${PLACES} places each way (medians of rounds)`);
    console.log(`  p50 off / on          ${ms(p50.off)} / ${ms(p50.on)}  → the limit adds ${ms(p50.on - p50.off)} at p50 (rounds: ${rush.off.map((r) => r.p50.toFixed(0)).join(', ')} / ${rush.on.map((r) => r.p50.toFixed(0)).join(', ')} ms)`);
    console.log(`  requests/s off / on   ${rate.off.toFixed(0)} / ${rate.on.toFixed(0)} (rounds: ${rush.off.map((r) => (REQUESTS / r.seconds).toFixed(0)).join(', ')} / ${rush.on.map((r) => (REQUESTS / r.seconds).toFixed(0)).join(', ')}; every request 201 or 409, errors ${others})`);
    console.log(`  fill ratio off / on   ${filledRatio('off').toFixed(2)} / ${filledRatio('on').toFixed(2)} (appointments ÷ places, worst round; oversell ${oversell})`);
    console.log(`  full after off / on   ${fill.off.toFixed(2)} s / ${fill.on.toFixed(2)} s`);
    console.log(`success path, one by one ${SEQUENTIAL} bookings alternating (not judged)`);
    console.log(`  p50 off / on          ${ms(seqP50.off)} / ${ms(seqP50.on)}  → +${ms(seqP50.on - seqP50.off)} (${pctSlower(seqP50.on / seqP50.off)}: one more transaction item, ~3 ms each on DynamoDB Local)`);
    console.log(`  p90 off / on          ${ms(pct(lat.off, 90))} / ${ms(pct(lat.on, 90))}`);
    console.log(`ratio p50 on ÷ off      ${latencyRatio.toFixed(3)} (${pctSlower(latencyRatio)} slower; target ≤ ${TARGET})`);
    console.log(`ratio req/s off ÷ on    ${rateRatio.toFixed(3)} (${pctSlower(rateRatio)} slower; target ≤ ${TARGET})`);
    const ok = latencyRatio <= TARGET && rateRatio <= TARGET && filledRatio('on') === 1 && filledRatio('off') === 1 && oversell === 0 && others === 0;
    console.log(ok ? 'result                  ok' : 'result                  FAILED');
    if (!ok) process.exitCode = 1;
  } finally {
    await dynamo.stop();
  }
}
