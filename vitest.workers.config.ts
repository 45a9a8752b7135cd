/**
 * Worker tests: `vitest run --config vitest.workers.config.ts` runs tests/worker/*.test.ts inside workerd
 * (@cloudflare/vitest-pool-workers) against src/main-worker.ts with wrangler.toml's bindings.
 * The global setup (in Node) first writes dist/worker-bundle.json from data/corpus.
 */
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: './src/main-worker.ts',
      wrangler: { configPath: './wrangler.toml' },
      // Quieter logs than production: request lines at `info` would flood the test output.
      miniflare: { bindings: { LOG_LEVEL: 'warn' } },
    }),
  ],
  test: {
    include: ['tests/worker/**/*.test.ts'],
    globalSetup: ['tests/worker/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
