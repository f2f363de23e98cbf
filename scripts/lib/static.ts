/**
 * Serves the H5 build as the CDN must: history fallback for routes (Taro's browser router) but a
 * 404 for a missing asset (a stale page asking for an old chunk must fail loudly, not run HTML as
 * script), brotli or gzip by Accept-Encoding, ETag and Last-Modified with 304s, hashed assets
 * cached for a year as immutable and index.html revalidated every time, and the security headers
 * (`h5SecurityHeaders`, README).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

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

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.map', '.txt']);
/** webpack's content hash in a file name (`app.3f9a1c2b.js`, `chunk-3f9a1c2b.css`): the name changes with the content. */
const HASHED = /[.-][0-9a-f]{8,}\.(js|css|png|jpg|svg|woff2|mp3|wav)$/i;

/** The encoding the client prefers among those we send (brotli first: smaller for JS). */
export function pickEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  const offered = new Map(
    (accept ?? '').split(',').map((p) => {
      const [name, ...params] = p.trim().toLowerCase().split(';');
      const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
      return [name, q ? Number(q.slice(2)) : 1] as const;
    }),
  );
  const ok = (e: string) => (offered.get(e) ?? offered.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : undefined;
}

interface Variant {
  body: Buffer;
  etag: string;
}
/** Bodies and ETags per file, modification time and encoding, computed once. */
const variants = new Map<string, Variant>();
function variant(file: string, mtime: number, raw: Buffer, encoding: 'br' | 'gzip' | undefined): Variant {
  const key = `${file}\0${mtime}\0${encoding ?? ''}`;
  let v = variants.get(key);
  if (!v) {
    const body =
      encoding === 'br'
        ? brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : encoding === 'gzip'
          ? gzipSync(raw, { level: 9 })
          : raw;
    // A representation's own tag: the compressed bytes differ from the plain ones.
    v = { body, etag: `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}${encoding ? `-${encoding}` : ''}"` };
    variants.set(key, v);
  }
  return v;
}

/** If-None-Match (any of the tags, weak or strong) wins over If-Modified-Since, as RFC 9110 says. */
function notModified(req: IncomingMessage, etag: string, mtime: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  return !!ims && !Number.isNaN(Date.parse(ims)) && Math.floor(mtime.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000);
}

export async function serveStatic(dir: string, port: number, host = '127.0.0.1', security: H5SecurityOptions = defaults()): Promise<{ url: string; close(): Promise<void> }> {
  const root = resolve(dir);
  const hashes = new Map<string, string[]>();
  const server: Server = createServer(async (req, res) => {
    const notFound = (text: string) => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', ...h5SecurityHeaders(security) });
      res.end(text);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
      let file = join(root, rel);
      if (!file.startsWith(root)) file = join(root, 'index.html');
      let s = await stat(file).catch(() => null);
      if (!s || s.isDirectory()) {
        // A route (no extension, or .html) is the app's; anything else that is missing is a 404.
        const ext = extname(rel);
        if (ext && ext !== '.html') return notFound('Not found');
        file = join(root, 'index.html');
        s = await stat(file);
      }
      const raw = await readFile(file);
      const ext = extname(file);
      const isHtml = ext === '.html';
      const text = isHtml ? raw.toString('utf8') : '';
      if (isHtml && !hashes.has(text)) hashes.set(text, inlineScriptHashes(text));
      const encoding = COMPRESSIBLE.has(ext) && raw.length > 1024 ? pickEncoding(req.headers['accept-encoding'] as string | undefined) : undefined;
      const v = variant(file, s.mtimeMs, raw, encoding);
      const headers: Record<string, string> = {
        ...h5SecurityHeaders({ ...security, inlineScripts: isHtml ? hashes.get(text) : [] }),
        'content-type': TYPES[ext] ?? 'application/octet-stream',
        // index.html and the service worker are revalidated every time so a release is picked up at
        // once; a hashed asset never changes.
        'cache-control': isHtml || /[/\\]sw\.js$/.test(file) ? 'no-cache' : HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
        etag: v.etag,
        'last-modified': s.mtime.toUTCString(),
        ...(COMPRESSIBLE.has(ext) ? { vary: 'Accept-Encoding' } : {}),
      };
      if (notModified(req, v.etag, s.mtime)) {
        res.writeHead(304, headers);
        return res.end();
      }
      res.writeHead(200, { ...headers, ...(encoding ? { 'content-encoding': encoding } : {}), 'content-length': String(v.body.length) });
      res.end(req.method === 'HEAD' ? undefined : v.body);
    } catch {
      notFound('H5 build not found: run `npm run build:h5 -w miniprogram`');
    }
  });
  await new Promise<void>((r, j) => server.once('error', j).listen(port, host, () => r()));
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
