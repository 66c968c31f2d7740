#!/usr/bin/env node
// The CLI is compiled TypeScript: `npm run build` (run by `npm ci` through `prepare`) makes dist/.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    console.error('llm-bawt is not built yet: run `npm run build` in the repository first.');
    process.exit(1);
  }
  throw error;
});
