// Shared by the conversation-memory tests in test/memory/ (history, sessions, summaries on
// PGlite and PostgreSQL): boots a real host with store-postgres, the memory plugins,
// provider-openai pointed at a scripted upstream, and optionally the HTTP transport.
import type { AnyPlugin, BotConfig, ChatMessage, FinishedTurn, TurnInput } from '@llm-bawt/sdk';
import { createTestHost, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import providerOpenai from '@llm-bawt/plugin-provider-openai';
import storePostgres, { storeRef } from '@llm-bawt/plugin-store-postgres';
import transportOpenai, { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';
import memorySessions from '@llm-bawt/plugin-memory-sessions';
import memorySummaries from '@llm-bawt/plugin-memory-summaries';
import memoryHistory, { historyRef, type HistoryService } from '../src/index.js';
import { backends, eventually, open, tableCounts, type Backend } from '../../store-postgres/test/backends.js';

export { backends, eventually, open, tableCounts, type Backend };

/** nova and mira keep memory; spark is stateless and must write nothing. */
export const BOTS: (Partial<BotConfig> & { slug: string })[] = [
  { slug: 'nova', name: 'Nova', system_prompt: 'You are Nova.', requires_memory: true },
  { slug: 'mira', name: 'Mira', system_prompt: 'You are Mira.', requires_memory: true },
  { slug: 'spark', name: 'Spark', system_prompt: 'You are Spark.', requires_memory: false },
  { slug: 'toolbot', name: 'Toolbot', system_prompt: 'You are Toolbot.', requires_memory: true, uses_tools: true },
];

/** The tables the conversation-memory plugins own. */
export const MEMORY_TABLES = ['messages', 'forgotten_messages', 'sessions', 'summaries'] as const;

export type Layer = 'history' | 'sessions' | 'summaries';
const LAYERS: Record<Layer, AnyPlugin> = { history: memoryHistory, sessions: memorySessions, summaries: memorySummaries };

export interface MemoryHost {
  host: TestHost;
  /** `http://127.0.0.1:PORT` when transports are on. */
  url: string;
  history: HistoryService;
  /** Rows in every table. */
  counts(): Promise<Record<string, number>>;
  /** Rows in the conversation-memory tables (messages, forgotten messages, sessions, summaries). */
  memoryCounts(): Promise<Record<string, number>>;
  /** Runs a turn; for a stored reply, waits until POST_PROCESS has written it. */
  turn(input: TurnInput): Promise<{ text: string; turn: FinishedTurn }>;
}

/** Boots a host with store-postgres on a fresh slot of `backend` and the given layers. */
export async function bootMemory(
  backend: Backend,
  up: ScriptedUpstream,
  options: {
    slot: string;
    layers?: Layer[];
    plugins?: AnyPlugin[];
    settings?: Record<string, unknown>;
    pluginConfig?: Record<string, unknown>;
    transports?: boolean;
    bots?: (Partial<BotConfig> & { slug: string })[];
    /** PGlite in memory (default); false keeps the slot on disk so it can be reopened. */
    ephemeral?: boolean;
  },
): Promise<MemoryHost> {
  const store = await backend.config(options.slot, { ephemeral: options.ephemeral ?? true });
  const host = await createTestHost({
    plugins: [storePostgres, providerOpenai, ...(options.layers ?? ['history', 'sessions', 'summaries']).map((layer) => LAYERS[layer]), ...(options.transports ? [transportOpenai] : []), ...(options.plugins ?? [])],
    bots: options.bots ?? BOTS,
    models: [{ alias: 'main', provider: 'openai-compatible', model: 'main-model', base_url: up.openaiBaseUrl }],
    defaultModel: 'main',
    settings: { upstream_max_retries: 0, ...options.settings },
    pluginConfig: { 'store-postgres': store, ...options.pluginConfig },
    ...(options.transports ? { transports: true, listen: { port: 0 } } : {}),
  });
  const url = options.transports ? (host.get(transportOpenaiRef).url as string) : '';
  const history = host.get(historyRef);
  return {
    host,
    url,
    history,
    counts: () => tableCounts(host.get(storeRef)),
    async memoryCounts() {
      const all = await tableCounts(host.get(storeRef));
      return Object.fromEntries(MEMORY_TABLES.map((table) => [table, all[table] ?? 0]));
    },
    async turn(input) {
      const stream = await host.runTurn(input);
      let text = '';
      for await (const event of stream.events) if (event.type === 'text') text += event.text;
      const turn = await stream.done;
      // POST_PROCESS is detached: wait for the reply's row when the turn stores one.
      const id = turn.request.metadata.assistant_message_id as string;
      if (turn.status === 'ok' && turn.bot.requires_memory && turn.timings.EXECUTE !== undefined && turn.reply.content.trim() !== '') {
        await eventually(async () => history.getById({ botId: turn.bot.slug, userId: turn.request.userId }, id));
      }
      return { text, turn };
    },
  };
}

/** A user message. */
export const user = (content: string): ChatMessage => ({ role: 'user', content });
/** An assistant message. */
export const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

/** The messages the upstream received in request `i`, as role/content pairs. */
export function sentMessages(up: ScriptedUpstream, i: number): { role: string; content: string }[] {
  return ((up.requests[i]?.body?.messages ?? []) as { role: string; content: unknown }[]).map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content) }));
}

/** JSON over HTTP: status and parsed body. */
export async function http(url: string, method: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: any;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}
