import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests import workspace packages from source, so `npm test` needs no build. Plugins that a
// test loads through jiti resolve the built packages instead; brands keep both copies compatible.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@llm-bawt\/sdk\/testing$/, replacement: src('./sdk/src/testing/index.ts') },
      { find: /^@llm-bawt\/sdk$/, replacement: src('./sdk/src/index.ts') },
      { find: /^@llm-bawt\/core$/, replacement: src('./core/src/index.ts') },
      { find: /^@llm-bawt\/plugin-([a-z0-9-]+)$/, replacement: src('./plugins/$1/src/index.ts') },
    ],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ['**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
  },
});
