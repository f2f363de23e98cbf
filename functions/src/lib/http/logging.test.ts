/** What the logs may hold: ids, routes, statuses. Never tokens, codes, ID numbers or bodies. */
import { addPersonByRoute } from '#test/people';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { idNumber } from '#test/fixtures';
import { handler as auth } from '../../auth/handler';
import { handler as patients } from '../../patients/handler';
import { logger } from '../logger';

function captureLogs() {
  const lines: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
  return { text: () => lines.join('\n'), orig };
}

afterEach(() => vi.restoreAllMocks());

describe('structured logs', () => {
  it('a login and a person with an ID number leave no token, ID number or phone in the logs', async () => {
    logger.setLogLevel('DEBUG');
    const logs = captureLogs();
    const login = await call(auth, api.auth.login, { body: { provider: 'dev', code: 'demo-patient-log-test' } });
    expect(login.status).toBe(401); // not a demo user: still logged as an outcome
    const { putUser } = await import('../../auth/store');
    await putUser({ userId: 'demo-log-test', name: '日志测试', roles: ['patient'], demo: true, createdAt: new Date().toISOString() });
    const ok = await call(auth, api.auth.login, { body: { provider: 'dev', code: 'demo-log-test' } });
    const id = idNumber();
    const person = await addPersonByRoute({
      token: ok.body.accessToken,
      body: { name: '李四', relation: 'self', phone: '13912345678', idNumber: id },
      headers: { 'idempotency-key': `log-test-${Date.now()}` },
    });
    expect(person.status).toBe(201);
    const text = logs.text();
    expect(text).toContain('"route":"login"');
    for (const secret of [ok.body.accessToken, ok.body.refreshToken, id, id.slice(6, 14), '13912345678', '李四']) expect(text).not.toContain(secret);
    logger.setLogLevel('WARN');
  });
});
