import { defineConfig } from 'vitest/config';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { resolve } from 'node:path';

const alias = {
  '@hospital/shared': resolve(import.meta.dirname, 'shared/src/index.ts'),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'server',
          environment: 'node',
          include: ['shared/src/**/*.test.ts', 'functions/src/**/*.test.ts', 'functions/test/**/*.test.ts', 'scripts/**/*.test.ts'],
          // DynamoDB Local starts once per run (in memory); every data test uses it, never a mock.
          globalSetup: ['functions/test/global-setup.ts'],
          setupFiles: ['functions/test/setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      'miniprogram/vitest.config.*',
    ],
  },
});
