import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import { GenerateSW } from 'workbox-webpack-plugin';

/**
 * One config for the three targets (weapp, alipay, h5) built by the webpack5 runner.
 *
 * - `API_BASE` / `H5_ORIGIN` come from the shell (`API_BASE=https://api.example.cn npm run build:h5`)
 *   and are baked in through `defineConstants`: Taro only forwards `TARO_APP_*` from `.env*` files.
 * - `@hospital/shared` is the TypeScript source of the API contract; it lives outside `src/`, so it
 *   is aliased and added to `compile.include` to go through babel like our own code (and zod).
 */
const sharedSrc = path.resolve(__dirname, '../../shared/src');
/**
 * zod 4 ships ES2020 (optional chaining, classes); babel it like our code so older phones'
 * JS engines (an older person's old Android) can run it without relying on the IDE's ES5 pass.
 */
const zodDir = path.dirname(require.resolve('zod/package.json'));
const compileInclude = [sharedSrc, zodDir];

const API_BASE = process.env.API_BASE || 'http://127.0.0.1:3000';
const H5_ORIGIN = process.env.H5_ORIGIN || 'http://127.0.0.1:10086';
// The WebSocket API (live updates); offline it is serverless-offline's websocket port.
const WS_BASE = process.env.WS_BASE || 'ws://127.0.0.1:3001';
// The region's SMS number for 120 (12120 where the region runs one; 120 takes no SMS in most).
const SOS_SMS_TO = process.env.SOS_SMS_TO || '12120';
// The console map's tiles ({z}/{x}/{y}); GCJ-02 tiles (AMap/Tencent) in production. Empty: a plain grid, no network.
const MAP_TILE_URL = process.env.MAP_TILE_URL || '';

/** The pages whose code the service worker precaches: home (the SOS card) and 紧急求助. */
const PRECACHED_PAGES = ['pages/index/index', 'pages/emergency/index'];

type Compilation = {
  entrypoints: Map<string, { getFiles(): string[] }>;
  chunkGroups: { origins: { request?: string }[]; getFiles(): string[] }[];
};

/**
 * Keeps in the precache manifest only index.html, the Workbox runtime, the entry (app shell) and
 * the chunks of PRECACHED_PAGES (found by the dynamic import that loads each page).
 */
function shellOnly<E extends { url: string }>(entries: E[], compilation?: unknown) {
  const c = compilation as Compilation;
  const keep = new Set<string>();
  for (const e of c.entrypoints.values()) for (const f of e.getFiles()) keep.add(f);
  for (const g of c.chunkGroups) {
    // `packages/booking/pages/index/index` ends like the home page: subpackages are not the shell.
    if (g.origins.some((o) => !!o.request && !o.request.includes('packages/') && PRECACHED_PAGES.some((p) => o.request!.includes(p)))) for (const f of g.getFiles()) keep.add(f);
  }
  const manifest = entries.filter((e) => {
    const f = e.url.replace(/^\//, '');
    return f === 'index.html' || /^workbox-[\w]+\.js$/.test(f) || keep.has(f);
  });
  return { manifest, warnings: [] as string[] };
}

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'internet-hospital',
    date: '2025-11-21',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      API_BASE: JSON.stringify(API_BASE.replace(/\/+$/, '')),
      H5_ORIGIN: JSON.stringify(H5_ORIGIN.replace(/\/+$/, '')),
      WS_BASE: JSON.stringify(WS_BASE.replace(/\/+$/, '')),
      SOS_SMS_TO: JSON.stringify(SOS_SMS_TO),
      MAP_TILE_URL: JSON.stringify(MAP_TILE_URL),
    },
    alias: {
      '@hospital/shared': sharedSrc,
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: compileInclude },
      optimizeMainPackage: { enable: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      compile: { include: compileInclude },
      router: {
        mode: 'browser',
        // A printed QR code is `${H5_ORIGIN}/qr?c=<code>`: any camera opens this page directly.
        customRoutes: {
          '/pages/qr/index': '/qr',
        },
      },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[chunkhash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      /**
       * The service worker (Workbox): the app shell, the home page and 紧急求助 are precached on
       * the first visit, so the SOS opens and queues with no network (a page's chunk is otherwise
       * loaded on demand). Every other page's hashed code is cached the first time it is used;
       * every navigation falls back to the cached index.html (browser router). Only the site's own
       * files: the API is never cached (health data).
       */
      webpackChain(chain) {
        if (process.env.NODE_ENV !== 'production') return;
        chain.plugin('service-worker').use(GenerateSW, [
          {
            swDest: 'sw.js',
            clientsClaim: true,
            skipWaiting: true,
            cleanupOutdatedCaches: true,
            navigateFallback: '/index.html',
            exclude: [/\.map$/, /LICENSE\.txt$/, /\.gz$/, /\.br$/],
            manifestTransforms: [shellOnly],
            sourcemap: false,
            runtimeCaching: [
              {
                // Content-hashed: a cached copy is always the right one.
                urlPattern: ({ url, sameOrigin }: { url: URL; sameOrigin: boolean }) => sameOrigin && /^\/(js|css|static)\//.test(url.pathname),
                handler: 'CacheFirst',
                options: { cacheName: 'h5-pages', expiration: { maxEntries: 400 } },
              },
            ],
          },
        ]);
      },    },
  };

  return merge({}, baseConfig);
});
