import { describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { handler } from './handler';

describe('unmatched requests', () => {
  it('an unknown path is a 404 in the error format', async () => {
    const r = await call(handler, { method: 'GET', path: '/v1/no-such-thing' }, { method: 'GET' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });

  it('a known path with the wrong method is a 405 naming the allowed methods', async () => {
    const r = await call(handler, api.auth.login, { method: 'DELETE' });
    expect(r.status).toBe(405);
    expect(r.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(r.headers.allow).toBe('POST');
  });
});
