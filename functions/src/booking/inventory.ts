/**
 * A container-local view of a session's places, for release mornings. It never decides a
 * booking (the conditional write does); it only keeps a warm container from sending writes
 * that cannot succeed:
 *
 * - the session and its shards are read once per second per container (one read shared by
 *   concurrent requests), not once per request;
 * - at most `left` attempts per shard are in flight from this container; the others wait for
 *   their outcome. When the view says no place is left and nothing is in flight, the answer is
 *   "full" without a write.
 *
 * Staleness is safe both ways: a place taken elsewhere makes our attempt fail and the shard is
 * marked empty; a place given back elsewhere shows up within a second.
 */
import { getSchedule, poolOf, type ScheduleWithPlaces } from '../catalog/schedule-store';

const FRESH_MS = 1000;

interface View {
  at: number;
  found?: ScheduleWithPlaces;
  loading?: Promise<void>;
  inflight: number[];
  waiters: (() => void)[];
}

const views = new Map<string, View>();

async function view(scheduleId: string): Promise<View> {
  let v = views.get(scheduleId);
  if (!v) {
    v = { at: 0, inflight: [], waiters: [] };
    views.set(scheduleId, v);
    if (views.size > 500) views.delete(views.keys().next().value!);
  }
  const busy = v.inflight.some((n) => n > 0);
  if (!v.loading && (Date.now() - v.at > FRESH_MS && !busy)) {
    const target = v;
    target.loading = getSchedule(scheduleId).then(
      (found) => {
        target.found = found;
        target.at = Date.now();
        target.inflight = found?.shards.map((_, i) => target.inflight[i] ?? 0) ?? [];
        target.loading = undefined;
      },
      (e) => {
        target.loading = undefined;
        throw e;
      },
    );
  }
  if (v.loading) await v.loading;
  return v;
}

/** The session as this container last saw it (≤ 1 s old), or undefined when it does not exist. */
export async function sessionView(scheduleId: string): Promise<ScheduleWithPlaces | undefined> {
  return (await view(scheduleId)).found;
}

/**
 * A shard of the pool to try, counted as in flight until `settle`; undefined when no place of
 * the pool is left as far as this container knows. The reserved pool is the 签约居民优先号 shard
 * while it is held; after that it is part of the public pool.
 */
export async function reserve(scheduleId: string, pool: 'public' | 'reserved' = 'public'): Promise<number | undefined> {
  for (;;) {
    const v = await view(scheduleId);
    if (!v.found) return undefined;
    const { schedule, shards } = v.found;
    const now = Date.now();
    const inPool = shards.filter((s) => poolOf(s, schedule, now) === pool);
    const free = inPool.filter((s) => s.open && s.left - (v.inflight[s.shard] ?? 0) > 0).map((s) => s.shard);
    if (free.length) {
      const n = free[Math.floor(Math.random() * free.length)];
      v.inflight[n] = (v.inflight[n] ?? 0) + 1;
      return n;
    }
    if (!inPool.some((s) => (v.inflight[s.shard] ?? 0) > 0)) return undefined;
    await new Promise<void>((r) => v.waiters.push(r));
  }
}

/** The outcome of an attempt on shard n: a place taken, the shard found empty, or neither. */
export function settle(scheduleId: string, n: number, outcome: 'taken' | 'empty' | 'other') {
  const v = views.get(scheduleId);
  if (!v) return;
  v.inflight[n] = Math.max(0, (v.inflight[n] ?? 1) - 1);
  const shard = v.found?.shards[n];
  if (shard && outcome === 'taken') shard.left = Math.max(0, shard.left - 1);
  if (shard && outcome === 'empty') shard.left = 0;
  const waiters = v.waiters.splice(0);
  for (const w of waiters) w();
}

/** Forget what this container knows (a cancel here gave a place back; tests). */
export const forget = (scheduleId: string) => views.delete(scheduleId);
