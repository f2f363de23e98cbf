/** Builds the H5 app when its sources are newer than the last build (the first `npm start` builds). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './dynamo';
import { startGroup, stopGroup } from './proc';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The running build, so Ctrl-C can stop it as a group. */
export let buildInProgress: { stop(): Promise<void> } | undefined;

export async function buildH5IfStale(force = false): Promise<void> {
  const out = resolve(ROOT, 'miniprogram/dist/h5/index.html');
  const sources = Math.max(newest(resolve(ROOT, 'miniprogram/src')), newest(resolve(ROOT, 'shared/src')), newest(resolve(ROOT, 'miniprogram/config')));
  if (!force && existsSync(out) && statSync(out).mtimeMs > sources) return;
  console.log('· building the H5 app (about 30 s) …');
  const child = startGroup('npm', ['run', 'build:h5', '-w', 'miniprogram'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } });
  buildInProgress = { stop: () => stopGroup(child) };
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  buildInProgress = undefined;
  if (code !== 0) throw new Error('H5 build failed');
}
