import { describe, expect, it } from 'vitest';
import { createRef, definePlugin, isLlmbError } from '@llm-bawt/sdk';
import { createTestHost, sortPlugins } from '@llm-bawt/core';
import { echoBot, echoPlugin, journal } from './helpers.js';

const aRef = createRef<string>({ id: 'alpha.value' });
const bRef = createRef<string>({ id: 'beta.value' });

describe('plugin order', () => {
  it('puts providers before their dependents and breaks ties by id, whatever the listing order', () => {
    const zeta = definePlugin({ id: 'zeta', version: '1.0.0', sdk: '^0.1.0', provides: [aRef] });
    const alpha = definePlugin({ id: 'alpha', version: '1.0.0', sdk: '^0.1.0', requires: { a: aRef }, provides: [bRef] });
    const beta = definePlugin({ id: 'beta', version: '1.0.0', sdk: '^0.1.0', requires: { b: bRef } });
    const gamma = definePlugin({ id: 'gamma', version: '1.0.0', sdk: '^0.1.0' });
    for (const listing of [[beta, gamma, alpha, zeta], [zeta, alpha, beta, gamma], [gamma, beta, zeta, alpha]]) {
      const { order, problems } = sortPlugins(listing, new Set());
      expect(problems).toEqual([]);
      expect(order.map((p) => p.id)).toEqual(['gamma', 'zeta', 'alpha', 'beta']);
    }
  });

  it('reports a cycle with its path and a missing dependency by name', () => {
    const x = definePlugin({ id: 'x', version: '1.0.0', sdk: '^0.1.0', requires: { b: bRef }, provides: [aRef] });
    const y = definePlugin({ id: 'y', version: '1.0.0', sdk: '^0.1.0', requires: { a: aRef }, provides: [bRef] });
    const lonely = definePlugin({ id: 'lonely', version: '1.0.0', sdk: '^0.1.0', requires: { db: createRef({ id: 'store.db' }) } });
    const { problems } = sortPlugins([x, y, lonely], new Set());
    expect(problems.map((p) => p.code).sort()).toEqual(['LLMB_ERR_PLUGIN_CYCLE', 'LLMB_ERR_PLUGIN_DEPENDENCY']);
    expect(problems.find((p) => p.code === 'LLMB_ERR_PLUGIN_CYCLE')?.message).toMatch(/x -> y -> x/);
    expect(problems.find((p) => p.code === 'LLMB_ERR_PLUGIN_DEPENDENCY')?.message).toMatch(/lonely|store\.db/);
  });

  it('refuses to boot on duplicate ids and names both in one error', async () => {
    const one = definePlugin({ id: 'twin', version: '1.0.0', sdk: '^0.1.0' });
    const two = definePlugin({ id: 'twin', version: '2.0.0', sdk: '^0.1.0' });
    const error = await createTestHost({ plugins: [one, two] }).catch((e: unknown) => e);
    expect(isLlmbError(error) && error.code).toBe('LLMB_ERR_BOOT');
    expect((error as Error).message).toMatch(/twin/);
  });
});

describe('hook order inside a stage', () => {
  it('runs pre bucket, then normal, then post; inside a bucket dependency order, then id', async () => {
    const { lines, log } = journal();
    const mk = (id: string, order: 'pre' | 'post' | undefined, extra: object = {}) =>
      definePlugin({
        id,
        version: '1.0.0',
        sdk: '^0.1.0',
        ...extra,
        hooks: { CONTEXT_BUILD: { ...(order ? { order } : {}), handler: () => void log(id) } },
      });
    const plugins = [
      mk('m-normal', undefined),
      mk('a-post', 'post'),
      mk('z-pre', 'pre', { provides: [aRef], setup: (ctx: { provide: (r: typeof aRef, f: () => string) => void }) => ctx.provide(aRef, () => 'a') }),
      mk('b-pre', 'pre', { requires: { a: aRef } }),
      mk('c-normal', undefined),
      echoPlugin,
    ];
    const host = await createTestHost({ plugins: plugins as never, bots: [echoBot] });
    await host.ask('hi');
    // z-pre provides what b-pre requires, so it runs first in the pre bucket despite its id.
    expect(lines).toEqual(['z-pre', 'b-pre', 'c-normal', 'm-normal', 'a-post']);
    await host.close();
  });
});
