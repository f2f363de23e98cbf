/** Whatever no route matched: 405 with `Allow` when the path exists under another method, else 404. */
import { api, matchesPath, type RouteDef } from '@hospital/shared';
import { errorResult } from '#lib/http/respond';
import type { HttpEvent, HttpResult } from '#lib/http/types';

const all: RouteDef[] = Object.values(api).flatMap((f) => Object.values(f) as RouteDef[]);

export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  const allowed = all.filter((r) => matchesPath(r.path, path)).map((r) => r.method);
  if (allowed.length && !allowed.includes(method as RouteDef['method'])) {
    return errorResult('METHOD_NOT_ALLOWED', `此接口不支持 ${method} 方法`, { status: 405, headers: { allow: [...new Set(allowed)].join(', ') } });
  }
  return errorResult('NOT_FOUND', '接口不存在', { status: 404 });
};
