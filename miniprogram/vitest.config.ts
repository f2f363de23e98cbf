import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Unit tests of the mini-program's logic (launch parsing, API client, route registry).
 * The logic under test takes its collaborators as arguments (transport, token store), so it
 * runs in plain Node; `@tarojs/taro` is aliased to a small shim for modules that import it.
 * Used on its own (`npx vitest run -c miniprogram/vitest.config.ts`) and as a project of the
 * root config.
 */
export default defineConfig({
  root: import.meta.dirname,
  resolve: {
    alias: {
      '@hospital/shared': resolve(import.meta.dirname, '../shared/src/index.ts'),
      '@tarojs/taro': resolve(import.meta.dirname, 'test/taro-shim.ts'),
    },
  },
  define: {
    API_BASE: JSON.stringify('http://api.test'),
    H5_ORIGIN: JSON.stringify('https://h5.test'),
  },
  test: {
    name: 'miniprogram',
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
  },
});
