import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@llm-bawt/sdk';
import { bootHost, isBootFailure, planBoot } from '../src/index.js';
import { BOTS_YAML, LOCAL_MODELS_YAML, makeProject, REPO_ROOT } from './helpers.js';

const HOST_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'host/package.json'), 'utf8')) as { version: string }).version;

describe('booting chosen transports', () => {
  it('plans the host with its own version, and refuses a transport no configured plugin contributes', async () => {
    const dir = makeProject({ 'llm-bawt.config.yaml': 'plugins: []\n', 'bots.yaml': BOTS_YAML, 'models.yaml': LOCAL_MODELS_YAML });
    const plan = await planBoot({ flags: {}, env: {}, cwd: dir, homeDir: join(dir, 'home') });
    expect(plan.problems).toEqual([]);
    expect(plan.options.version).toBe(HOST_VERSION);

    const failure = await bootHost(plan, { transports: ['openai-http'], logger: silentLogger }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isBootFailure(failure)).toBe(true);
    expect((failure as Error).message).toContain("transport 'openai-http' is not contributed by any loaded plugin; no loaded plugin contributes a transport");
  });
});
