import type { BotConfig, TurnEvent, TurnInput } from '@llm-bawt/sdk';
import type { AskResult, TestHost, TestHostOptions } from '@llm-bawt/sdk/testing';
import { createHost, type Host } from './boot/host.js';

export function testBot(bot: Partial<BotConfig> & { slug: string }): BotConfig {
  return {
    name: bot.slug,
    system_prompt: `You are ${bot.slug}.`,
    requires_memory: false,
    uses_tools: false,
    uses_search: false,
    voice_optimized: false,
    settings: {},
    plugins: {},
    ...bot,
  };
}

/** Boots a real host in-process with the given plugins (transports off unless asked). */
export async function createTestHost(options: TestHostOptions = {}): Promise<TestHost & Host> {
  const host = await createHost({
    plugins: options.plugins ?? [],
    bots: (options.bots ?? [{ slug: 'test' }]).map(testBot),
    models: options.models ?? [],
    ...(options.defaultModel ? { defaultModel: options.defaultModel } : {}),
    pluginConfig: options.pluginConfig ?? {},
    settings: options.settings ?? {},
    env: options.env ?? {},
    overrides: options.overrides ?? [],
    transports: options.transports ?? false,
    listen: options.listen ?? {},
    ...(options.defaultUser ? { defaultUser: options.defaultUser } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.version ? { version: options.version } : {}),
  });
  const ask = async (input: string | TurnInput): Promise<AskResult> => {
    const turnInput = typeof input === 'string' ? { messages: [{ role: 'user' as const, content: input }] } : input;
    const stream = await host.runTurn(turnInput);
    const events: TurnEvent[] = [];
    let text = '';
    for await (const event of stream.events) {
      events.push(event);
      if (event.type === 'text') text += event.text;
    }
    return { text, events, turn: await stream.done };
  };
  return Object.assign(Object.create(host) as Host, { ask });
}
