import { describe, expect, it } from 'vitest';
import { coreRefs, definePlugin, type RuntimeSettingsSource, type SettingScope, type TurnContext } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/core';
import { echoBot, echoPlugin, journal } from './helpers.js';

describe('runtime changes', () => {
  it('starts a bot added at runtime, restarts a changed one and stops a removed one', async () => {
    const { lines, log } = journal();
    const watcher = definePlugin({
      id: 'watcher', version: '1.0.0', sdk: '^0.1.0',
      hooks: { 'bot:start': (bot) => void log(`start ${bot.slug}:${bot.system_prompt}`), 'bot:stop': (bot) => void log(`stop ${bot.slug}`) },
    });
    const host = await createTestHost({ plugins: [watcher, echoPlugin], bots: [echoBot] });
    await host.bots.upsert({ ...host.bots.get('e')!, slug: 'late', system_prompt: 'Late.' });
    expect((await host.ask({ botId: 'late', messages: [{ role: 'user', content: 'hi' }] })).text).toBe('[Late.] hi');
    await host.bots.upsert({ ...host.bots.get('late')!, system_prompt: 'Changed.' });
    expect((await host.ask({ botId: 'late', messages: [{ role: 'user', content: 'hi' }] })).text).toBe('[Changed.] hi');
    expect(await host.bots.remove('late')).toBe(true);
    await expect(host.ask({ botId: 'late', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ code: 'LLMB_ERR_UNKNOWN_BOT' });
    await host.close();
    expect(lines).toEqual(['start e:P', 'start late:Late.', 'stop late', 'start late:Changed.', 'stop late', 'stop e']);
  });

  it('lets a plugin seed bots during setup before they start', async () => {
    const seeder = definePlugin({
      id: 'seeder', version: '1.0.0', sdk: '^0.1.0', requires: { bots: coreRefs.bots },
      setup: async (ctx) => {
        await ctx.deps.bots.upsert({ ...ctx.deps.bots.get('e')!, system_prompt: 'From the database.' });
      },
    });
    const host = await createTestHost({ plugins: [seeder, echoPlugin], bots: [echoBot] });
    expect((await host.ask('x')).text).toBe('[From the database.] x');
    await host.close();
  });

  it('reads runtime settings rows before file values at each level', async () => {
    const rows = new Map<string, unknown>([['bot:e:a', 'row-bot-a'], ['global:c', 'row-global-c'], ['global:b', 'row-global-b']]);
    const source: RuntimeSettingsSource = { get: (scope: SettingScope, key) => rows.get(scope.type === 'bot' ? `bot:${scope.id}:${key}` : `global:${key}`) };
    const settingsPlugin = definePlugin({ id: 'rows', version: '1.0.0', sdk: '^0.1.0', provides: [coreRefs.settings], setup: (ctx) => ctx.provide(coreRefs.settings, () => source) });
    const seen: unknown[] = [];
    const reader = definePlugin({ id: 'reader', version: '1.0.0', sdk: '^0.1.0', hooks: { CONTEXT_BUILD: (_p, ctx: TurnContext) => void seen.push(['a', 'b', 'c', 'd'].map((k) => ctx.setting(k, 'default'))) } });
    const host = await createTestHost({ plugins: [settingsPlugin, reader, echoPlugin], bots: [{ ...echoBot, settings: { a: 'file-bot-a', b: 'file-bot-b' } }], settings: { c: 'file-global-c', d: 'file-global-d' } });
    await host.ask('x');
    await host.ask({ messages: [{ role: 'user', content: 'x' }], settings: { a: 'request-a' } });
    await host.close();
    expect(seen).toEqual([
      ['row-bot-a', 'file-bot-b', 'row-global-c', 'file-global-d'],
      ['request-a', 'file-bot-b', 'row-global-c', 'file-global-d'],
    ]);
  });
});
