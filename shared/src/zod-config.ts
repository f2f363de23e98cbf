/**
 * Zod compiles object parsers with `new Function` where it may. The H5 site's Content-Security-Policy
 * allows no eval (scripts/lib/static.ts) and WeChat/Alipay mini-programs have none: there the
 * contract parses without it — and zod skips its probe for eval, which a strict CSP reports as a
 * violation even though the throw is caught. On the server (Node) the compiled parsers stay.
 * Imported first by index.ts, before any schema is built (zod reads the setting at construction).
 */
import * as z from 'zod';

const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
if (!node) z.config({ jitless: true });
