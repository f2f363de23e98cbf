import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

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
    },
  };

  return merge({}, baseConfig);
});
