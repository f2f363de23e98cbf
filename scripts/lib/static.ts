/**
 * Serves the H5 build with history fallback (Taro's browser router): unknown paths get index.html,
 * with the security headers the deployed site's CDN must send too (`h5SecurityHeaders`, README).
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

/**
 * Where the H5 app may connect, load from and be framed by — read from the app itself: the API
 * (fetches, and message images by signed links), its WebSocket API, and Agora's edge servers for
 * the video room (agora-rtc-sdk-ng: https and wss to *.agora.io, *.sd-rtn.com, *.agoraio.cn).
 * Tencent FaceID and the payment checkouts are left for in the same window (navigation, never a
 * frame), so nothing is framed; and nothing may frame the app but itself.
 */
export interface H5SecurityOptions {
  /** The API origin the build talks to (`API_BASE`). */
  api: string;
  /** The WebSocket API (`WS_BASE`, `ws://` or `wss://`). */
  websocket: string;
  /** Strict-Transport-Security: only when the site is served over HTTPS for real (prod). */
  hsts?: boolean;
  /** sha256 of each inline `<script>` of the page (Taro's rem script in index.html). */
  inlineScripts?: string[];
  /** The 120 console's map tiles (`MAP_TILE_URL` of the build, `{z}/{x}/{y}` and maybe `{s}`); none: a grid drawn locally. */
  tiles?: string;
}

/** Where map tiles come from, as a CSP source: `https://webrd0{s}.is.autonavi.com/…` → `https://*.is.autonavi.com`. */
export function tileSource(url: string | undefined): string {
  const m = url ? /^(https?:\/\/)([^/]+)/.exec(url) : null;
  if (!m) return '';
  const [first, ...rest] = m[2].split('.');
  return first.includes('{') && rest.length >= 2 ? `${m[1]}*.${rest.join('.')}` : `${m[1]}${m[2]}`;
}

const AGORA = ['*.agora.io', '*.sd-rtn.com', '*.agoraio.cn'];
const originOf = (u: string) => {
  try {
    return new URL(u).origin;
  } catch {
    return undefined;
  }
};

/** `'sha256-…'` sources for the inline scripts of an HTML page. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}

export function h5SecurityHeaders(o: H5SecurityOptions): Record<string, string> {
  const api = originOf(o.api) ?? '';
  const ws = originOf(o.websocket.replace(/^http/, 'ws')) ?? '';
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${(o.inlineScripts ?? []).join(' ')}`.trim(),
    // Taro's H5 components add <style> elements at run time.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${api} ${tileSource(o.tiles)}`.replace(/ +/g, ' ').trim(),
    `media-src 'self' blob: ${api}`.trim(),
    "font-src 'self' data:",
    `connect-src 'self' ${api} ${ws} ${AGORA.flatMap((d) => [`https://${d}`, `wss://${d}`]).join(' ')}`.replace(/ +/g, ' '),
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    ...(o.hsts ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    // Only the origin leaves the site (WeChat/Alipay H5 checkouts check it); never a path with an id in it.
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'SAMEORIGIN',
    'permissions-policy': 'camera=(self), microphone=(self), geolocation=(self), payment=(), usb=(), serial=()',
    ...(o.hsts ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** The local stack's origins (scripts/lib/stack.ts sets API_BASE and WEBSOCKET_ENDPOINT), HSTS only when `H5_HSTS=1`. */
const defaults = (): H5SecurityOptions => ({
  api: process.env.API_BASE || 'http://127.0.0.1:3000',
  websocket: process.env.WS_BASE || process.env.WEBSOCKET_ENDPOINT || 'ws://127.0.0.1:3001',
  hsts: process.env.H5_HSTS === '1',
  tiles: process.env.MAP_TILE_URL,
});

export async function serveStatic(dir: string, port: number, host = '127.0.0.1', security: H5SecurityOptions = defaults()): Promise<{ url: string; close(): Promise<void> }> {
  const root = resolve(dir);
  const hashes = new Map<string, string[]>();
  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
      let file = join(root, rel);
      if (!file.startsWith(root)) file = join(root, 'index.html');
      const s = await stat(file).catch(() => null);
      if (!s || s.isDirectory()) file = join(root, 'index.html');
      const body = await readFile(file);
      const isHtml = file.endsWith('.html');
      const text = isHtml ? body.toString('utf8') : '';
      if (isHtml && !hashes.has(text)) hashes.set(text, inlineScriptHashes(text));
      res.writeHead(200, {
        ...h5SecurityHeaders({ ...security, inlineScripts: isHtml ? hashes.get(text) : [] }),
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // index.html and the service worker are never cached so a rebuild is picked up; hashed assets may be.
        'cache-control': isHtml || /[/\\]sw\.js$/.test(file) ? 'no-cache' : 'public, max-age=3600',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...h5SecurityHeaders(security) });
      res.end('H5 build not found: run `npm run build:h5 -w miniprogram`');
    }
  });
  await new Promise<void>((r, j) => server.once('error', j).listen(port, host, () => r()));
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
