/** Calls to the running local API from e2e tests (staff actions, set-up and checks). */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/** JSON request; throws with the status and body on anything but 2xx. Writes carry a fresh Idempotency-Key. */
export async function request<T>(method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Idempotency-Key': randomUUID() };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${inject('urls').api}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const data = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(data)}`);
  return data;
}

/** An access token for a demo user, through the dev login. */
export async function apiToken(userId: string): Promise<string> {
  return (await request<{ accessToken: string }>('POST', '/v1/auth/login', { body: { provider: 'dev', code: userId } })).accessToken;
}
