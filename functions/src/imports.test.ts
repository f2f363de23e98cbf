/**
 * No import cycles in the functions' code: a cycle makes load order decide behaviour (a value
 * read before its module ran is undefined) and ties features together so that one function's
 * bundle drags in another's. Type-only imports are erased by the compiler and do not count.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = import.meta.dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Runtime imports and re-exports of a file, resolved to files under src/. */
function runtimeImports(root: string, file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s+'([^']+)'/gms)) {
    const [, typeOnly, names, spec] = m;
    // `import type …` and `import { type A, type B }` leave nothing at run time.
    if (typeOnly || /^\{\s*(?:type\s+\w+(?:\s+as\s+\w+)?\s*,?\s*)+\}$/.test(names)) continue;
    const base = spec.startsWith('#lib/') ? join(root, 'lib', spec.slice(5)) : spec.startsWith('.') ? resolve(dirname(file), spec) : undefined;
    const hit = base && [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
    if (hit) out.push(hit);
  }
  return out;
}

function importCycles(root: string): string[][] {
  const graph = new Map(sources(root).map((f) => [f, runtimeImports(root, f)]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    path.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') cycles.push([...path.slice(path.indexOf(d)), d].map((x) => relative(root, x)));
      else if (!state.has(d)) visit(d);
    }
    path.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return cycles;
}

describe('imports of functions/src', () => {
  it('form no cycle', () => {
    expect(importCycles(src).map((c) => c.join(' → '))).toEqual([]);
  });

  it('finds a cycle through a re-export, not one through type-only imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nimport type { C } from './c';\nexport const a = b;\n");
    writeFileSync(join(dir, 'b.ts'), "export { a as b } from './a';\n");
    writeFileSync(join(dir, 'c.ts'), "import { type A } from './a';\nexport type C = A;\n");
    expect(importCycles(dir)).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });
});
