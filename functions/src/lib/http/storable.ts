/**
 * JSON that is valid but cannot be kept: DynamoDB stores numbers of magnitude 1E-130 and up (and
 * 0), the SDK marshals them only up to ±(2^53 − 1), and DynamoDB nests maps and lists 32 levels deep
 * at most (no body of the contract needs more than a few; 16 leaves room for what wraps it). A
 * body outside that is bad input (a 400 naming where), never a 500 from the table at the end of
 * a handler. Walked without recursion: a body may be nested 100,000 deep.
 */
import type { FieldError } from '@hospital/shared';

export const MAX_NESTING = 16;
const MIN_MAGNITUDE = 1e-130;
// The SDK refuses to marshal numbers beyond ±(2^53 − 1) (imprecise); DynamoDB itself stops at 9.9E+125.
const MAX_MAGNITUDE = Number.MAX_SAFE_INTEGER;

export function unstorable(value: unknown, prefix = 'body'): FieldError | undefined {
  const stack: [unknown, string, number][] = [[value, prefix, 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'number') {
      const m = Math.abs(v);
      if (!Number.isFinite(v) || (m !== 0 && (m < MIN_MAGNITUDE || m > MAX_MAGNITUDE))) return { path, message: '数值超出可保存的范围' };
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_NESTING) return { path, message: `嵌套不能超过${MAX_NESTING}层` };
      for (const [k, x] of Object.entries(v)) stack.push([x, `${path}.${k}`, depth + 1]);
    }
  }
  return undefined;
}
