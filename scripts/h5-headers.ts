/**
 * `npm run h5:headers`: the response headers the CDN serving the H5 build must send, for the
 * origins the build was made with — the same `npm start`'s static server sends (scripts/lib/static.ts),
 * HSTS included. Run after `npm run build:h5 -w miniprogram` with the build's API_BASE and WS_BASE:
 *
 *   API_BASE=https://api.example-hospital.cn WS_BASE=wss://ws.example-hospital.cn npm run h5:headers
 *
 * The script-src hash is of the inline script in the built index.html (Taro's rem setup); it
 * changes only when Taro's template does, so print again after upgrading Taro.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { h5SecurityHeaders, inlineScriptHashes } from './lib/static';

const index = resolve(import.meta.dirname, '../miniprogram/dist/h5/index.html');
if (!existsSync(index)) {
  console.error('no H5 build: run `npm run build:h5 -w miniprogram` first');
  process.exit(2);
}
const headers = h5SecurityHeaders({
  api: process.env.API_BASE || 'https://api.example-hospital.cn',
  websocket: process.env.WS_BASE || 'wss://ws.example-hospital.cn',
  hsts: process.env.H5_HSTS !== '0',
  tiles: process.env.MAP_TILE_URL,
  inlineScripts: inlineScriptHashes(readFileSync(index, 'utf8')),
});
for (const [name, value] of Object.entries(headers)) console.log(`${name}: ${value}`);
