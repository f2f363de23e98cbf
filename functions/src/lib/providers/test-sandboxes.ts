/** Test fixture: both sandboxes on random ports with fresh keys, and a notification listener. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlipaySandbox, startAlipaySandbox } from '../../../../scripts/sandboxes/alipay';
import { ensureSandboxKeys, type SandboxKeys, sandboxProviderEnv, type SandboxEnvOptions } from '../../../../scripts/sandboxes/keys';
import { startWechatSandbox, type WechatSandbox, type WechatSandboxOptions } from '../../../../scripts/sandboxes/wechat';

export interface Sandboxes {
  keys: SandboxKeys;
  wechat: WechatSandbox;
  alipay: AlipaySandbox;
  env(mode?: SandboxEnvOptions['wechatPayKeyMode']): Record<string, string>;
  close(): Promise<void>;
}

export const FAST_RETRIES = [50, 100, 200];

export async function startSandboxes(wechatOpts: Partial<WechatSandboxOptions> = {}): Promise<Sandboxes> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-keys-'));
  const keys = await ensureSandboxKeys(dir);
  const wechat = await startWechatSandbox({ port: 0, keys, retryDelaysMs: FAST_RETRIES, refundDelayMs: 20, ...wechatOpts });
  const alipay = await startAlipaySandbox({ port: 0, keys, retryDelaysMs: FAST_RETRIES });
  return {
    keys,
    wechat,
    alipay,
    env: (mode) => sandboxProviderEnv(keys, { wechatBase: wechat.url, alipayGateway: alipay.gateway, wechatPayKeyMode: mode }),
    async close() {
      await Promise.all([wechat.close(), alipay.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Listener {
  url: string;
  received: Received[];
  /** Decides the answer to each request (default 200 + `success`, which suits both providers). */
  respond: (r: Received, index: number) => { status: number; body: string };
  close(): Promise<void>;
}

export async function startListener(): Promise<Listener> {
  const listener: Listener = {
    url: '',
    received: [],
    respond: () => ({ status: 200, body: 'success' }),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      listener.received.push(r);
      const { status, body } = listener.respond(r, listener.received.length - 1);
      res.writeHead(status).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  listener.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return listener;
}

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let seq = 0;
/** A fresh merchant order number (6–32 chars, WeChat's alphabet). */
export const orderNo = (prefix = 'T') => `${prefix}${Date.now()}${String(seq++).padStart(4, '0')}`;
