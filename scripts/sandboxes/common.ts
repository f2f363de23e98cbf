/** Small helpers shared by the WeChat and Alipay sandboxes (node:http only, no framework). */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MAX_BODY = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, status, html, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
}

export function redirect(res: ServerResponse, location: string): void {
  send(res, 303, '', { Location: location });
}

/** Parses a JSON object body; returns undefined for anything else. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Both providers live in UTC+8; compute it explicitly so the process TZ never matters. */
const CST_MS = 8 * 3600_000;
const cstParts = (d: Date) => new Date(d.getTime() + CST_MS).toISOString();

/** `2024-05-01T09:30:00+08:00` (WeChat Pay v3 timestamps). */
export const rfc3339Cst = (d: Date = new Date()) => `${cstParts(d).slice(0, 19)}+08:00`;
/** `2024-05-01 09:30:00` (Alipay timestamps, Beijing time). */
export const alipayTime = (d: Date = new Date()) => cstParts(d).slice(0, 19).replace('T', ' ');
/** `2024-05-01`: the Beijing calendar date of an instant (bill dates). */
export const cstDate = (d: Date) => cstParts(d).slice(0, 10);

/** Parses `yyyy-MM-dd HH:mm:ss` as Beijing time; NaN when malformed. */
export function parseAlipayTime(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, se] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, se) - CST_MS;
}

export const fenToYuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** `12.3` / `12.30` → 1230; undefined when not a non-negative amount with at most 2 decimals. */
export function yuanToFen(yuan: unknown): number | undefined {
  if (typeof yuan !== 'string' && typeof yuan !== 'number') return undefined;
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(String(yuan));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  return `http://${host}:${addr.port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface DeliveryRecord {
  url: string;
  kind: string;
  attempts: number;
  delivered: boolean;
  lastStatus?: number;
}

export interface Deliverer {
  /** Delivers `build()` (rebuilt per attempt so signatures carry a fresh timestamp). */
  deliver(url: string, kind: string, build: () => { body: string; headers: Record<string, string> }, accept: (status: number, text: string) => boolean): DeliveryRecord;
  readonly log: DeliveryRecord[];
  stop(): void;
}

/**
 * Fire-and-forget notification delivery with bounded retries, like the providers do
 * (they retry for hours; a sandbox retries for a few seconds).
 */
export function createDeliverer(retryDelaysMs: readonly number[]): Deliverer {
  const timers = new Set<NodeJS.Timeout>();
  const log: DeliveryRecord[] = [];
  let stopped = false;

  const deliver: Deliverer['deliver'] = (url, kind, build, accept) => {
    const record: DeliveryRecord = { url, kind, attempts: 0, delivered: false };
    log.push(record);
    const attempt = async () => {
      if (stopped) return;
      record.attempts += 1;
      try {
        const { body, headers } = build();
        const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(5000) });
        const text = await res.text();
        record.lastStatus = res.status;
        if (accept(res.status, text)) {
          record.delivered = true;
          return;
        }
      } catch {
        record.lastStatus = 0;
      }
      const delay = retryDelaysMs[record.attempts - 1];
      if (delay === undefined || stopped) return;
      const t = setTimeout(() => {
        timers.delete(t);
        void attempt();
      }, delay);
      timers.add(t);
    };
    void attempt();
    return record;
  };

  return {
    deliver,
    log,
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Only http(s) return URLs, so a crafted link cannot turn the redirect into javascript:. */
export function safeReturnUrl(raw: string | null, result: 'paid' | 'cancelled'): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    u.searchParams.set('sandbox_result', result);
    return u.toString();
  } catch {
    return undefined;
  }
}

export interface CheckoutView {
  brand: string;
  color: string;
  title: string;
  amountFen: number;
  merchant: string;
  /** Hidden form fields posted back with 支付 / 取消. */
  fields: Record<string, string>;
  /** When set, the order cannot be paid any more; the page says why. */
  closedReason?: string;
  returnUrl?: string;
}

/** The H5 checkout page a person uses in the local demo: amount in yuan, big 支付 / 取消 buttons. */
export function checkoutPage(v: CheckoutView): string {
  const hidden = Object.entries(v.fields)
    .map(([k, val]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(val)}">`)
    .join('');
  const actions = v.closedReason
    ? `<p class="note">${escapeHtml(v.closedReason)}</p>${v.returnUrl ? `<a class="btn ghost" href="${escapeHtml(v.returnUrl)}">返回</a>` : ''}`
    : `<form method="post" action="checkout/pay">${hidden}<button class="btn pay" type="submit" data-testid="pay">支付</button></form>
       <form method="post" action="checkout/cancel">${hidden}<button class="btn ghost" type="submit" data-testid="cancel">取消</button></form>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(v.brand)} · 收银台（沙箱）</title>
<style>
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f5f5;color:#222}
.bar{background:${v.color};color:#fff;padding:14px 18px;font-size:18px}
.card{background:#fff;margin:16px;border-radius:10px;padding:24px 18px;text-align:center}
.amount{font-size:44px;font-weight:600;margin:12px 0}.sub{color:#666;margin:4px 0}
.btn{display:block;width:calc(100% - 32px);margin:12px 16px;padding:16px 0;font-size:20px;border-radius:8px;border:0;text-decoration:none;text-align:center;box-sizing:border-box}
.pay{background:${v.color};color:#fff}.ghost{background:#fff;color:#333;border:1px solid #ccc}
.note{text-align:center;color:#c00;font-size:18px}form{margin:0}
</style></head><body>
<div class="bar">${escapeHtml(v.brand)} 收银台 · 沙箱</div>
<div class="card"><div class="sub">${escapeHtml(v.merchant)}</div>
<div class="amount" data-testid="amount">¥${fenToYuan(v.amountFen)}</div>
<div class="sub">${escapeHtml(v.title)}</div></div>
${actions}
</body></html>`;
}

export function resultPage(brand: string, text: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(brand)}</title></head>
<body style="font-family:sans-serif;text-align:center;padding-top:80px;font-size:22px">${escapeHtml(text)}</body></html>`;
}

/** The checkout form's POST: pay (or cancel), then back to the app's return URL or a result page. */
export function finishCheckout(res: ServerResponse, brand: string, action: string, returnRaw: string | null, payIt: () => { error?: string }): void {
  if (action === 'pay') {
    const r = payIt();
    if (r.error) return sendHtml(res, 409, resultPage(brand, r.error));
  }
  const to = safeReturnUrl(returnRaw, action === 'pay' ? 'paid' : 'cancelled');
  if (to) return redirect(res, to);
  sendHtml(res, 200, resultPage(brand, action === 'pay' ? '支付成功' : '已取消支付'));
}
