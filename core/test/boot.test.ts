import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { coreRefs, createRef, definePlugin, isLlmbError, type LlmbError, type TurnContext } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/core';
import { echoBot, echoPlugin, journal } from './helpers.js';

async function bootFailure(promise: Promise<unknown>): Promise<LlmbError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isLlmbError(error)) throw new Error(`expected a coded boot error, got ${String(error)}`);
  return error;
}

describe('boot validation', () => {
  it('reports every problem at once, before any setup runs', async () => {
    let setupRan = false;
    const configured = definePlugin({
      id: 'configured',
      version: '1.0.0',
      sdk: '^0.1.0',
      config: v.object({ port: v.number(), mode: v.picklist(['a', 'b']) }),
      setup: () => void (setupRan = true),
    });
    const future = definePlugin({ id: 'future', version: '1.0.0', sdk: '^9.0.0' });
    const needy = definePlugin({ id: 'needy', version: '1.0.0', sdk: '^0.1.0', requires: { db: createRef({ id: 'store.db' }) } });
    const error = await bootFailure(
      createTestHost({
        plugins: [configured, future, needy],
        pluginConfig: { configured: { port: 'eighty', mode: 'c' }, ghost: {} },
        bots: [{ slug: 'b', default_model: 'nope', plugins: { configured: { port: 1, mode: 'z' } } }],
      }),
    );
    expect(setupRan).toBe(false);
    expect(error.code).toBe('LLMB_ERR_BOOT');
    const problems = error.origin.problems?.join('\n') ?? '';
    expect(problems).toMatch(/LLMB_ERR_PLUGIN_SDK_RANGE.*'future' needs sdk \^9\.0\.0/);
    expect(problems).toMatch(/LLMB_ERR_PLUGIN_DEPENDENCY.*store\.db/);
    expect(problems).toMatch(/'configured' config at 'port'/);
    expect(problems).toMatch(/'configured' config at 'mode'/);
    expect(problems).toMatch(/'configured' \(bot 'b'\) config at 'mode'/);
    expect(problems).toMatch(/plugin 'ghost', which is not loaded/);
    expect(problems).toMatch(/default_model 'nope'/);
    expect(error.origin.problems?.length).toBe(7);
    expect(error.message.split('\n')[0]).toBe('llm-bawt cannot start; 7 problem(s):');
  });

  it('refuses a plugin that provides what it did not declare, or declares what it never provides', async () => {
    const ref = createRef<number>({ id: 'p.value' });
    const undeclared = definePlugin({ id: 'p', version: '1.0.0', sdk: '^0.1.0', setup: (ctx) => ctx.provide(ref, () => 1) });
    expect((await bootFailure(createTestHost({ plugins: [undeclared] }))).message).toMatch(/without declaring it in 'provides'/);
    const lazy = definePlugin({ id: 'p', version: '1.0.0', sdk: '^0.1.0', provides: [ref] });
    expect((await bootFailure(createTestHost({ plugins: [lazy] }))).message).toMatch(/did not provide it/);
  });

  it('times out a setup that never finishes and names the plugin', async () => {
    const stuck = definePlugin({ id: 'stuck', version: '1.0.0', sdk: '^0.1.0', setupTimeoutMs: 50, setup: () => new Promise(() => undefined) });
    const error = await bootFailure(createTestHost({ plugins: [stuck] }));
    expect(error).toMatchObject({ code: 'LLMB_ERR_PLUGIN_SETUP', origin: { pluginId: 'stuck', hook: 'setup' } });
    expect(error.message).toMatch(/setup timed out/);
  });

  it('refuses a request-scoped dependency in setup with advice', async () => {
    const req = createRef<string>({ id: 'r.value', scope: 'request' });
    const provider = definePlugin({ id: 'r', version: '1.0.0', sdk: '^0.1.0', provides: [req], setup: (ctx) => ctx.provide(req, () => 'x') });
    const early = definePlugin({ id: 'early', version: '1.0.0', sdk: '^0.1.0', requires: { v: req }, setup: (ctx) => void ctx.deps.v });
    const error = await bootFailure(createTestHost({ plugins: [provider, early] }));
    expect(error.message).toMatch(/'v' is request-scoped; read it in a hook/);
  });
});

describe('lifecycle', () => {
  it('runs setups in dependency order and tears down last-in first-out', async () => {
    const { lines, log } = journal();
    const base = createRef<string>({ id: 'base.value' });
    const mid = createRef<string>({ id: 'mid.value' });
    const basePlugin = definePlugin({
      id: 'z-base', version: '1.0.0', sdk: '^0.1.0', provides: [base],
      setup(ctx) {
        log('setup base');
        ctx.provide(base, () => 'B');
        ctx.onClose(() => void log('close base (onClose)'));
        return () => void log('close base (disposer)');
      },
    });
    const midPlugin = definePlugin({
      id: 'a-mid', version: '1.0.0', sdk: '^0.1.0', requires: { base }, provides: [mid],
      setup(ctx) {
        log(`setup mid with ${ctx.deps.base}`);
        ctx.provide(mid, () => `${ctx.deps.base}M`);
        return () => void log('close mid');
      },
      hooks: {
        'bot:start': (bot) => void log(`bot:start ${bot.slug}`),
        'host:ready': () => void log('host:ready'),
        'host:close': () => void log('host:close'),
        'bot:stop': (bot) => void log(`bot:stop ${bot.slug}`),
      },
    });
    const top = definePlugin({ id: 'top', version: '1.0.0', sdk: '^0.1.0', requires: { mid }, setup: (ctx) => { log(`setup top with ${ctx.deps.mid}`); return () => void log('close top'); } });
    const host = await createTestHost({ plugins: [top, midPlugin, basePlugin], bots: [{ slug: 'one' }, { slug: 'two' }] });
    expect(host.plugins().map((p) => p.id)).toEqual(['z-base', 'a-mid', 'top']);
    await host.close();
    expect(lines).toEqual([
      'setup base',
      'setup mid with B',
      'setup top with BM',
      'bot:start one',
      'bot:start two',
      'host:ready',
      'host:close',
      'bot:stop two',
      'bot:stop one',
      'close top',
      'close mid',
      'close base (disposer)',
      'close base (onClose)',
    ]);
  });

  it('tears down what was set up when a later setup fails', async () => {
    const { lines, log } = journal();
    const first = definePlugin({ id: 'a-first', version: '1.0.0', sdk: '^0.1.0', setup: () => () => void log('close first') });
    const broken = definePlugin({ id: 'b-broken', version: '1.0.0', sdk: '^0.1.0', setup: () => { throw new Error('no socket'); } });
    const error = await bootFailure(createTestHost({ plugins: [first, broken] }));
    expect(error.message).toBe("plugin 'b-broken' setup failed: no socket");
    expect(lines).toEqual(['close first']);
  });

  it('gives each bot and each request its own scoped values and disposes request values', async () => {
    const perBot = createRef<{ bot: string }>({ id: 'scoped.perBot', scope: 'bot' });
    const perRequest = createRef<{ id: string; dispose(): void }>({ id: 'scoped.perRequest', scope: 'request' });
    const disposed: string[] = [];
    let n = 0;
    const scoped = definePlugin({
      id: 'scoped', version: '1.0.0', sdk: '^0.1.0', provides: [perBot, perRequest],
      setup(ctx) {
        ctx.provide(perBot, (scope) => ({ bot: scope.bot?.slug ?? '?' }));
        ctx.provide(perRequest, () => {
          const id = `r${++n}`;
          return { id, dispose: () => void disposed.push(id) };
        });
      },
    });
    const seen: string[] = [];
    const reader = definePlugin({
      id: 'reader', version: '1.0.0', sdk: '^0.1.0', requires: { perBot, perRequest, bots: coreRefs.bots },
      hooks: {
        CONTEXT_BUILD: (_p, ctx) => {
          // Resolving twice in one request gives the same value.
          seen.push(`${ctx.deps.perBot.bot}:${ctx.deps.perRequest.id}:${ctx.get(perRequest).id}:${ctx.deps.bots.list().length}`);
        },
      },
    });
    const host = await createTestHost({ plugins: [scoped, reader, echoPlugin], bots: [{ ...echoBot, slug: 'e1' }, { ...echoBot, slug: 'e2' }] });
    await host.ask({ botId: 'e1', messages: [{ role: 'user', content: 'x' }] });
    await host.ask({ botId: 'e2', messages: [{ role: 'user', content: 'x' }] });
    await host.close();
    expect(seen).toEqual(['e1:r1:r1:2', 'e2:r2:r2:2']);
    expect(disposed).toEqual(['r1', 'r2']);
  });

  it('gives hooks their per-bot plugin config', async () => {
    const seen: string[] = [];
    const greeter = definePlugin({
      id: 'greeter', version: '1.0.0', sdk: '^0.1.0',
      config: v.object({ greeting: v.optional(v.string(), 'hello') }),
      hooks: { CONTEXT_BUILD: (_p, ctx: TurnContext & { config: { greeting: string } }) => void seen.push(ctx.config.greeting) },
    });
    const host = await createTestHost({
      plugins: [greeter, echoPlugin],
      bots: [{ ...echoBot, slug: 'plain' }, { ...echoBot, slug: 'fancy', plugins: { greeter: { greeting: 'salutations' } } }],
    });
    await host.ask({ botId: 'plain', messages: [{ role: 'user', content: 'x' }] });
    await host.ask({ botId: 'fancy', messages: [{ role: 'user', content: 'x' }] });
    await host.close();
    expect(seen).toEqual(['hello', 'salutations']);
  });

  it('refuses turns while draining and names unknown bots', async () => {
    const host = await createTestHost({ plugins: [echoPlugin], bots: [echoBot] });
    await expect(host.ask({ botId: 'nobody', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ code: 'LLMB_ERR_UNKNOWN_BOT', status: 404 });
    await host.close();
    await expect(host.ask('x')).rejects.toMatchObject({ code: 'LLMB_ERR_NOT_READY', status: 503 });
  });
});

describe('provided values', () => {
  it('refuses a root factory that returns nothing, naming the plugin and the ref', async () => {
    const ref = createRef<unknown>({ id: 'empty.value' });
    const empty = definePlugin({ id: 'empty', version: '1.0.0', sdk: '^0.1.0', provides: [ref], setup: (ctx) => ctx.provide(ref, () => undefined) });
    const error = await bootFailure(createTestHost({ plugins: [empty] }));
    expect(error.message).toBe("plugin 'empty' setup failed: its factory for 'empty.value' returned undefined");
  });
});
