/** The H5 static server sends the security headers the deployed site's CDN must send too. */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './proc';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { h5SecurityHeaders, inlineScriptHashes, pickEncoding, serveStatic, tileSource } from './static';

const INLINE = '!function(n){n.document.documentElement.style.fontSize="20px"}(window);';
const dir = mkdtempSync(join(tmpdir(), 'h5-'));
mkdirSync(join(dir, 'js'));
writeFileSync(join(dir, 'index.html'), `<!doctype html><html><head><script>${INLINE}</script><script defer src="/js/app.js"></script></head><body><div id="app"></div></body></html>`);
writeFileSync(join(dir, 'js/app.js'), 'console.log(1)');
writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
// A hashed chunk large enough to be compressed.
const CHUNK = `export const a = ${JSON.stringify('互联网医院 '.repeat(400))};`;
writeFileSync(join(dir, 'js/vendors.3f9a1c2b.js'), CHUNK);

const security = { api: 'https://api.example-hospital.cn/', websocket: 'wss://ws.example-hospital.cn/prod' };
let local: Awaited<ReturnType<typeof serveStatic>>;
let prod: Awaited<ReturnType<typeof serveStatic>>;
beforeAll(async () => {
  local = await serveStatic(dir, await freePort(), '127.0.0.1', security);
  prod = await serveStatic(dir, await freePort(), '127.0.0.1', { ...security, hsts: true });
});
afterAll(async () => (await local.close(), await prod.close()));

const directives = (csp: string) => Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('the H5 site’s security headers', () => {
  it('a page (deep links included) carries CSP, frame-ancestors, Referrer-Policy and nosniff', async () => {
    for (const path of ['/', '/packages/booking/pages/index/index?x=1']) {
      const r = await fetch(`${local.url}${path}`);
      expect(r.status).toBe(200);
      const csp = directives(r.headers.get('content-security-policy')!);
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['frame-ancestors']).toEqual(["'self'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('scripts: our own files and, of inline ones, exactly the page’s (by hash) — never any inline script', async () => {
    const csp = directives((await fetch(local.url)).headers.get('content-security-policy')!);
    const hash = `'sha256-${createHash('sha256').update(INLINE).digest('base64')}'`;
    expect(csp['script-src']).toEqual(["'self'", hash]);
    expect(csp['script-src']).not.toContain("'unsafe-inline'");
    expect(csp['script-src']).not.toContain("'unsafe-eval'");
    expect(inlineScriptHashes('<script src="/a.js"></script><script type="module">x()</script>')).toEqual([`'sha256-${createHash('sha256').update('x()').digest('base64')}'`]);
  });

  it('connects to the API, its WebSocket and Agora’s edges, and loads images from the API', () => {
    const csp = directives(h5SecurityHeaders(security)['content-security-policy']);
    expect(csp['connect-src']).toEqual(expect.arrayContaining(["'self'", 'https://api.example-hospital.cn', 'wss://ws.example-hospital.cn', 'https://*.agora.io', 'wss://*.agora.io', 'wss://*.sd-rtn.com']));
    expect(csp['img-src']).toEqual(expect.arrayContaining(["'self'", 'data:', 'blob:', 'https://api.example-hospital.cn']));
    // FaceID and the checkouts are navigations; nothing is framed.
    expect(csp['frame-src']).toEqual(["'none'"]);
  });

  it('the 120 console map loads tiles from the configured tile host only (AMap-style {s} subdomains as one wildcard)', () => {
    expect(tileSource('https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}')).toBe('https://*.is.autonavi.com');
    expect(tileSource('https://tiles.example.cn/{z}/{x}/{y}.png')).toBe('https://tiles.example.cn');
    expect(tileSource(undefined)).toBe('');
    const withTiles = directives(h5SecurityHeaders({ ...security, tiles: 'https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}' })['content-security-policy']);
    expect(withTiles['img-src']).toContain('https://*.is.autonavi.com');
    expect(directives(h5SecurityHeaders(security)['content-security-policy'])['img-src']).not.toContain('https://*.is.autonavi.com');
  });

  it('the service worker script is never cached (a new build takes over), hashed assets may be', async () => {
    const sw = await fetch(`${local.url}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${local.url}/js/app.js`)).headers.get('cache-control')).toContain('max-age');
  });

  it('HSTS only when configured (prod over HTTPS)', async () => {
    const r = await fetch(prod.url);
    expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(r.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    // Static files get the headers too.
    expect((await fetch(`${prod.url}/js/app.js`)).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

/** Raw bytes and headers (fetch would decompress and hide Content-Encoding). */
function raw(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((done, fail) => {
    request(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d)).on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    }).on('error', fail).end();
  });
}

describe('the H5 static server', () => {
  it('sends brotli or gzip as the client accepts, plain otherwise, and says it varies', async () => {
    const br = await raw(`${local.url}/js/vendors.3f9a1c2b.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(CHUNK);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(CHUNK) / 4);
    const gz = await raw(`${local.url}/js/vendors.3f9a1c2b.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(CHUNK);
    const plain = await raw(`${local.url}/js/vendors.3f9a1c2b.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(CHUNK);
    expect(pickEncoding('br;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('identity')).toBeUndefined();
  });

  it('caches hashed assets as immutable, revalidates index.html, and answers 304 to its validators', async () => {
    const asset = await raw(`${local.url}/js/vendors.3f9a1c2b.js`, { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await raw(`${local.url}/`);
    expect(page.headers['cache-control']).toBe('no-cache');
    const etag = page.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await raw(`${local.url}/`, { 'if-none-match': etag })).status).toBe(304);
    expect((await raw(`${local.url}/`, { 'if-modified-since': page.headers['last-modified'] as string })).status).toBe(304);
    expect((await raw(`${local.url}/`, { 'if-none-match': '"something-else"' })).status).toBe(200);
    // The brotli body has its own tag: a cached gzip copy is not taken for it.
    expect(asset.headers.etag).not.toBe((await raw(`${local.url}/js/vendors.3f9a1c2b.js`, { 'accept-encoding': 'gzip' })).headers.etag);
  });

  it('a missing asset is a 404, a route is the app', async () => {
    const missing = await raw(`${local.url}/js/vendors.00000000.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/plain/);
    expect((await raw(`${local.url}/css/app.css`)).status).toBe(404);
    const route = await raw(`${local.url}/packages/booking/pages/index/index`);
    expect(route.status).toBe(200);
    expect(route.headers['content-type']).toMatch(/^text\/html/);
  });
});
