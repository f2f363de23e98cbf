import { ErrorCodes, type FieldError } from '@hospital/shared';
import type { HttpResult } from './types';

/** On every answer of the API: never sniffed into something else, no referrer to anyone. */
export const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode: status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResult(
  code: string,
  message: string,
  opts: { status?: number; fields?: FieldError[]; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
): HttpResult {
  const status = opts.status ?? (ErrorCodes as Record<string, number>)[code] ?? 400;
  return json(status, { error: { ...opts.extra, code, message, ...(opts.fields?.length ? { fields: opts.fields } : {}) } }, opts.headers);
}
