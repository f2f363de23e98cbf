/** `npm run bench [-- name]`: runs bench/<name>.bench.ts (all of them without a name). */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dir = import.meta.dirname;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
const run = wanted.length ? wanted : all;
for (const name of run) {
  if (!all.includes(name)) {
    console.error(`no benchmark "${name}"; have: ${all.join(', ') || 'none'}`);
    process.exit(2);
  }
  console.log(`\n━━ bench ${name}`);
  const mod = await import(resolve(dir, `${name}.bench.ts`));
  await mod.default();
}
process.exit(0);
