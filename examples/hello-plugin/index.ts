/**
 * An example third-party llm-bawt plugin, written only against `@llm-bawt/sdk` (and valibot
 * for its config). The host loads it with jiti, so this `.ts` file needs no build step.
 *
 * What it shows, one piece per pipeline part:
 * - PRE_PROCESS (waterfall with bail): answers `/hello [name]` itself via `finish()`.
 * - CONTEXT_BUILD (waterfall): adds a named `hello` section to the system prompt.
 * - onChunk (per chunk, synchronous): upper-cases streamed text when `shout` is on.
 * - POST_PROCESS (detached): counts finished turns per bot.
 * - a ref it provides (`greeterRef`), a tool it contributes, a valibot config with defaults.
 */
import * as v from 'valibot';
import { createRef, definePlugin, defineTool, finish, PROMPT_POSITION, type TurnEvent } from '@llm-bawt/sdk';

/** What this plugin offers other plugins through {@link greeterRef}. */
export interface Greeter {
  /** A greeting in the configured words. */
  greet(name: string): string;
  /** Turns finished since the host started, for one bot or all of them. */
  turns(botId?: string): number;
  recordTurn(botId: string): void;
}

/** Other plugins depend on the greeter with `requires: { greeter: greeterRef }`. */
export const greeterRef = createRef<Greeter>({ id: 'hello.greeter' });

/** Root config (llm-bawt.config.yaml) and per-bot config (bots.yaml `plugins.hello`). */
export const helloConfig = v.object({
  greeting: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), 'Hello'),
  shout: v.optional(v.boolean(), false),
});

const HELLO_COMMAND = /^\/hello(?:\s+(.+))?$/i;

/** A tool the model (or an MCP client) can call; defined once, served everywhere. */
export const sayHelloTool = defineTool({
  name: 'say_hello',
  description: 'Greets someone by name on behalf of the current bot.',
  input: v.object({ name: v.pipe(v.string(), v.minLength(1)) }),
  annotations: { readOnlyHint: true },
  run: ({ name }, ctx) => `Hello, ${name}! (from ${ctx.bot.name})`,
});

function shout(event: TurnEvent): TurnEvent {
  return event.type === 'text' ? { type: 'text', text: event.text.toUpperCase() } : event;
}

export default definePlugin({
  id: 'hello',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Says hello: a /hello command, a prompt section, a chunk filter and a turn counter',
  config: helloConfig,
  provides: [greeterRef],
  contributes: { tools: [sayHelloTool] },

  hooks: {
    PRE_PROCESS: (request, ctx) => {
      const last = request.messages.at(-1);
      const text = last?.role === 'user' && typeof last.content === 'string' ? last.content.trim() : '';
      const match = HELLO_COMMAND.exec(text);
      // Returning nothing passes the request on unchanged to the next hook.
      if (!match) return;
      const greeter = ctx.get(greeterRef);
      return finish(`${ctx.config.greeting}, ${match[1] ?? 'there'}! ${ctx.bot.name} here; ${greeter.turns(ctx.bot.slug)} turns so far.`);
    },

    CONTEXT_BUILD: (prompt, ctx) =>
      prompt.set('hello', `When the user greets you, greet them back with "${ctx.config.greeting}".`, { position: PROMPT_POSITION.extra }),

    onChunk: { when: (ctx) => ctx.config.shout, handler: shout },

    POST_PROCESS: (turn, ctx) => {
      if (turn.status === 'ok') ctx.get(greeterRef).recordTurn(turn.bot.slug);
    },

    'host:ready': (ctx) => ctx.logger.debug(`hello: ${ctx.get(greeterRef).greet('world')}`),
  },

  setup(ctx) {
    const counts = new Map<string, number>();
    const greeter: Greeter = {
      greet: (name) => `${ctx.config.greeting}, ${name}!`,
      turns: (botId) => (botId === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(botId) ?? 0)),
      recordTurn: (botId) => void counts.set(botId, (counts.get(botId) ?? 0) + 1),
    };
    ctx.provide(greeterRef, () => greeter);
    ctx.logger.debug(`hello: greeting is '${ctx.config.greeting}'`);
    return () => counts.clear();
  },
});
