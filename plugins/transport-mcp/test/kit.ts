// Boots real hosts for the MCP tests: store-postgres (PGlite or PostgreSQL), the memory
// plugins, tools-core, the OpenAI HTTP transport (to see effects through /v1/*), an inline
// echo agent backend, and transport-mcp on a free port; connects the official MCP client.
import { defineAgentBackend, definePlugin, type AnyPlugin, type AnyRef, type BotConfig } from '@llm-bawt/sdk';
import { createTestHost, type TestHost } from '@llm-bawt/sdk/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import storePostgres, { storeRef } from '@llm-bawt/plugin-store-postgres';
import transportOpenai, { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';
import toolsCore from '@llm-bawt/plugin-tools-core';
import memoryHistory from '@llm-bawt/plugin-memory-history';
import memorySessions from '@llm-bawt/plugin-memory-sessions';
import memorySummaries from '@llm-bawt/plugin-memory-summaries';
import memorySemantic from '@llm-bawt/plugin-memory-semantic';
import memoryProfile from '@llm-bawt/plugin-memory-profile';
import embeddingsLocal from '@llm-bawt/plugin-embeddings-local';
import transportMcp, { transportMcpRef } from '../src/index.js';
import { backends, eventually, tableCounts, type Backend } from '../../store-postgres/test/backends.js';

export { backends, eventually, tableCounts, type Backend };

/** Every turn the echo agent answered: bot, user and the user message it got. */
export interface EchoCall {
  bot: string;
  user: string;
  text: string;
}

/**
 * An agent backend that answers `echo from <bot>: <last user message>`, recording each call.
 * `failures` makes a bot's first turns fail with the given error.
 */
export function echoAgent(options: { delayMs?: number; failures?: Record<string, Error[]> } = {}) {
  const calls: EchoCall[] = [];
  const failures = new Map(Object.entries(options.failures ?? {}).map(([bot, errors]) => [bot, [...errors]]));
  const plugin = definePlugin({
    id: 'echo-agent',
    version: '0.1.0',
    sdk: '^0.1.0',
    contributes: {
      agents: [
        defineAgentBackend({
          id: 'echo',
          async *run(assembly, ctx) {
            const last = [...assembly.messages].reverse().find((m) => m.role === 'user');
            const text = typeof last?.content === 'string' ? last.content : '';
            calls.push({ bot: ctx.bot.slug, user: ctx.request.userId, text });
            const failure = failures.get(ctx.bot.slug)?.shift();
            if (failure) throw failure;
            if (options.delayMs) {
              await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(resolve, options.delayMs);
                ctx.signal.addEventListener('abort', () => (clearTimeout(timer), reject(ctx.signal.reason)), { once: true });
              });
            }
            yield { type: 'text', text: `echo from ${ctx.bot.slug}: ${text}` };
            yield { type: 'finish', reason: 'stop' };
          },
        }),
      ],
    },
  });
  return { plugin, calls };
}

/** nova and mira keep memory; spark is stateless. All three answer through the echo agent. */
export const BOTS: (Partial<BotConfig> & { slug: string })[] = [
  { slug: 'nova', name: 'Nova', requires_memory: true, uses_tools: true, agent_backend: 'echo' },
  { slug: 'mira', name: 'Mira', requires_memory: true, agent_backend: 'echo' },
  { slug: 'spark', name: 'Spark', requires_memory: false, agent_backend: 'echo' },
];

/** The memory plugins and everything that contributes tools. */
export const ALL_PLUGINS: AnyPlugin[] = [memoryHistory, memorySessions, memorySummaries, memorySemantic, memoryProfile, embeddingsLocal, toolsCore];

export interface McpHost {
  host: TestHost;
  /** `http://127.0.0.1:PORT/mcp` */
  mcpUrl: string;
  /** `http://127.0.0.1:PORT` of the OpenAI transport, when booted with `http`. */
  apiUrl: string;
  echo: ReturnType<typeof echoAgent>;
  /** Connects a new MCP client over streamable HTTP. */
  connect(options?: { headers?: Record<string, string> }): Promise<Client>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Boots a host with transport-mcp (port 0) on a slot of `backend`; `store: false` boots without a database. */
export async function bootMcp(
  backend: Backend | undefined,
  options: {
    slot?: string;
    plugins?: AnyPlugin[];
    config?: Record<string, unknown>;
    env?: Record<string, string>;
    http?: boolean;
    bots?: (Partial<BotConfig> & { slug: string })[];
    echoDelayMs?: number;
    echoFailures?: Record<string, Error[]>;
    listen?: Record<string, unknown>;
    overrides?: ReadonlyArray<readonly [AnyRef, unknown]>;
  } = {},
): Promise<McpHost> {
  const echo = echoAgent({ delayMs: options.echoDelayMs ?? 0, failures: options.echoFailures ?? {} });
  const store = backend ? await backend.config(options.slot ?? 'mcp', { ephemeral: true }) : undefined;
  const host = await createTestHost({
    plugins: [
      ...(store ? [storePostgres] : []),
      echo.plugin,
      ...(options.plugins ?? (store ? ALL_PLUGINS : [toolsCore])),
      ...(options.http ? [transportOpenai] : []),
      transportMcp,
    ],
    bots: options.bots ?? BOTS,
    models: [],
    pluginConfig: {
      ...(store ? { 'store-postgres': store } : {}),
      'transport-mcp': { port: 0, delivery: { sweepMs: 0, retryBaseMs: 50 }, ...options.config },
    },
    env: options.env ?? {},
    overrides: options.overrides ?? [],
    transports: true,
    listen: { port: 0, ...options.listen },
  });
  const mcpUrl = host.get(transportMcpRef).url as string;
  const clients: Client[] = [];
  return {
    host,
    mcpUrl,
    apiUrl: options.http ? (host.get(transportOpenaiRef).url as string) : '',
    echo,
    async connect(connectOptions = {}) {
      const client = new Client({ name: 'llm-bawt-test', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: connectOptions.headers ?? {} } }));
      clients.push(client);
      return client;
    },
    counts: () => tableCounts(host.get(storeRef)),
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await host.close();
    },
  };
}

/** A tool result's text. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}

/** Calls a tool and parses its JSON result; fails the test on an error result. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  const text = textOf(result);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Calls a tool that must fail, and returns its error text. */
export async function callError(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  if (!result.isError) throw new Error(`${name} was expected to fail but returned ${textOf(result)}`);
  return textOf(result);
}
