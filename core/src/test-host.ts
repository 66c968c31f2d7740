import type { AnyPlugin, AnyRef, BotConfig, ModelSpec, TurnEvent, TurnInput } from '@llm-bawt/sdk';
import { createHost, type Host } from './boot/host.js';

/** Options of {@link createTestHost}; everything has a small default. */
export interface TestHostOptions {
  plugins?: AnyPlugin[];
  /** Bots; defaults to one stateless bot 'test'. Partial bots get sensible defaults. */
  bots?: (Partial<BotConfig> & { slug: string })[];
  models?: ModelSpec[];
  defaultModel?: string;
  pluginConfig?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  overrides?: ReadonlyArray<readonly [AnyRef, unknown]>;
  /** Start transports (default false). */
  transports?: boolean;
  listen?: Record<string, unknown>;
  dataDir?: string;
}

/** What one test turn produced. */
export interface AskResult {
  text: string;
  events: TurnEvent[];
  turn: Awaited<ReturnType<Host['runTurn']>> extends { done: Promise<infer F> } ? F : never;
}

/** A booted host for tests, with `ask` to run a whole turn. */
export interface TestHost extends Host {
  ask(input: string | TurnInput): Promise<AskResult>;
}

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
export async function createTestHost(options: TestHostOptions = {}): Promise<TestHost> {
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
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
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
  return Object.assign(Object.create(host) as Host, { ask }) as TestHost;
}
