/**
 * Release-morning rush (放号): 2,000 residents press "book" at the same instant for one doctor
 * session with 50 places, through the full handler stack in process (JWT, Idempotency-Key,
 * validation, ownership check, sharded place write), against DynamoDB Local in memory.
 *
 * Judged by: oversell = 0, every refusal a 409, and the ratio of booking requests/s through
 * the stack to the engine's own raw conditional-update rate measured in this same run on the
 * same client (2,000 concurrent `SET left = left - 1 IF left > 0` on one counter), target ≥ 0.5.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const PLACES = Number(process.env.BENCH_PLACES ?? 50);

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

export default async function () {
  const { startDynamo, ensureTable } = await import('../scripts/lib/dynamo');
  const { freePort } = await import('../scripts/lib/proc');
  const dynamo = await startDynamo({ port: await freePort() });
  const tableName = `bench-booking-${Date.now()}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'cn-northwest-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: tableName, STAGE: 'test', JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef', POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  try {
    await ensureTable(dynamo.endpoint, tableName);
    // Imported only now: the SDK client reads the endpoint from the environment when built.
    const { UpdateCommand, PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const { db, isConditionFailed } = await import('../functions/src/lib/table');
    const { api } = await import('@hospital/shared');
    const { handler } = await import('../functions/src/booking/handler');
    const { event, tokenFor } = await import('../functions/test/http');
    const { addPatient } = await import('../functions/src/patients/store');
    const { getSchedule, placesLeft } = await import('../functions/src/catalog/schedule-store');
    const { listBySchedule } = await import('../functions/src/booking/store');
    const { makeCatalog, makeSchedule, idNumber } = await import('../functions/src/booking/test-fixtures');

    /** The engine alone: N concurrent conditional decrements of one counter with `places` left. */
    async function rawRate(n: number, places: number) {
      const Key = { PK: `RAW#${randomUUID()}`, SK: 'RAW' };
      await db.send(new PutCommand({ TableName: tableName, Item: { ...Key, left: places } }));
      const t0 = performance.now();
      const results = await Promise.all(
        Array.from({ length: n }, () =>
          db
            .send(new UpdateCommand({ TableName: tableName, Key, UpdateExpression: 'SET #l = #l - :one', ConditionExpression: '#l > :zero', ExpressionAttributeNames: { '#l': 'left' }, ExpressionAttributeValues: { ':one': 1, ':zero': 0 } }))
            .then(() => true, (e) => (isConditionFailed(e) ? false : Promise.reject(e))),
        ),
      );
      const seconds = (performance.now() - t0) / 1000;
      return { perSecond: n / seconds, taken: results.filter(Boolean).length };
    }

    // Residents: one account and one person each, with a token, prepared before the rush.
    const catalog = await makeCatalog();
    const now = new Date().toISOString();
    const people: { userId: string; patientId: string; token: string }[] = [];
    for (let i = 0; i < REQUESTS; i += 100) {
      people.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(100, REQUESTS - i) }, async (_, j) => {
            const userId = `u-bench-${i + j}`;
            const patientId = `p-bench-${i + j}`;
            await addPatient({ patientId, userId, name: '测试居民', relation: 'self', phone: '13800000000', idNumber: idNumber('19800101', (i + j) % 1000), sex: 'male', birthDate: '1980-01-01', verification: { state: 'unverified' }, createdAt: now, updatedAt: now });
            return { userId, patientId, token: await tokenFor(['patient'], userId) };
          }),
        )),
      );
    }
    // 2,000 requests share one process here (in AWS each has its own container), so give each
    // invocation the function's full timeout instead of the test helper's 10 s.
    const context = () => ({ awsRequestId: randomUUID(), functionName: 'booking', getRemainingTimeInMillis: () => 120_000 });
    const book = async (scheduleId: string, p: (typeof people)[number]) => {
      const e = event(api.booking.book, { body: { scheduleId, patientId: p.patientId }, token: p.token, headers: { 'idempotency-key': `bench-${randomUUID()}` } });
      const r = (await handler(e, context() as never)) as { statusCode: number; body: string };
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };

    // Warm the code paths (JIT, connection pool) on another session.
    const warm = await makeSchedule(catalog, { capacity: 100 });
    await Promise.all(people.slice(0, 200).map((p) => book(warm.id, p)));
    const rawBefore = await rawRate(REQUESTS, PLACES);

    const session = await makeSchedule(catalog, { capacity: PLACES });
    const latencies: number[] = [];
    const t0 = performance.now();
    const statuses = await Promise.all(
      people.map(async (p) => {
        const t = performance.now();
        const r = await book(session.id, p);
        latencies.push(performance.now() - t);
        return r.status === 409 ? `409 ${r.body.error.code}` : String(r.status);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const rawAfter = await rawRate(REQUESTS, PLACES);

    latencies.sort((a, b) => a - b);
    const count = (s: string) => statuses.filter((x) => x === s).length;
    const successes = count('201');
    const appointments = (await listBySchedule(session.id)).length;
    const after = (await getSchedule(session.id, true))!;
    const shards = after.shards;
    const oversell = Math.max(0, appointments - PLACES) + shards.filter((s) => s.left < 0).length;
    const others = statuses.filter((x) => x !== '201' && !x.startsWith('409'));
    const rate = REQUESTS / seconds;
    const raw = Math.max(rawBefore.perSecond, rawAfter.perSecond);
    const ratio = rate / raw;

    console.log(`requests              ${REQUESTS} for ${PLACES} places (one doctor session, ${shards.length} place shards)`);
    console.log(`successes             ${successes} (appointments in the table: ${appointments}, places left: ${placesLeft(after)})`);
    console.log(`409 refusals          ${REQUESTS - successes - others.length} (${[...new Set(statuses.filter((x) => x.startsWith('409')))].join(', ')})`);
    console.log(`other errors          ${others.length}${others.length ? ` (${[...new Set(others)].join(', ')})` : ''}`);
    console.log(`oversell              ${oversell}`);
    console.log(`latency               p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}, max ${ms(latencies[latencies.length - 1])}`);
    console.log(`bookings/s            ${rate.toFixed(0)} requests/s through the full handler stack (${seconds.toFixed(2)} s)`);
    console.log(`raw conditional/s     ${raw.toFixed(0)} (before ${rawBefore.perSecond.toFixed(0)}, after ${rawAfter.perSecond.toFixed(0)}; took ${rawBefore.taken}/${PLACES})`);
    console.log(`ratio                 ${ratio.toFixed(2)} (target ≥ 0.5)`);
    const ok = successes === PLACES && oversell === 0 && others.length === 0;
    console.log(ok ? 'result                ok' : 'result                FAILED');
    if (!ok) process.exitCode = 1;
  } finally {
    await dynamo.stop();
  }
}
