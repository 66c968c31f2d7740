// Shared setup of the knowledge-layer tests (memory-semantic, memory-profile, embedders).
import providerOpenai from '@llm-bawt/plugin-provider-openai';
import embeddingsLocal from '@llm-bawt/plugin-embeddings-local';
import memoryProfile from '@llm-bawt/plugin-memory-profile';
import memorySemantic, { EXTRACTED_TOPIC, type ExtractionReport } from '@llm-bawt/plugin-memory-semantic';
import { storePostgresPlugin, storeRef } from '@llm-bawt/plugin-store-postgres';
import { coreRefs, type AnyPlugin, type BotConfig, type ModelSpec } from '@llm-bawt/sdk';
import { createTestHost, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import type { Backend } from '../../plugins/store-postgres/test/backends.js';

export const BOTS: (Partial<BotConfig> & { slug: string })[] = [
  { slug: 'nova', name: 'Nova', system_prompt: 'You are Nova.', requires_memory: true, uses_tools: true, default_model: 'chat', settings: { background_model: 'extractor' } },
  { slug: 'mira', name: 'Mira', system_prompt: 'You are Mira.', requires_memory: true, uses_tools: true, default_model: 'chat', settings: { background_model: 'extractor' } },
  { slug: 'spark', name: 'Spark', system_prompt: 'You are Spark.', requires_memory: false, uses_tools: true, default_model: 'chat', settings: { background_model: 'extractor' } },
];

export function models(up: ScriptedUpstream): ModelSpec[] {
  return [
    { alias: 'chat', provider: 'openai-compatible', model: 'chat-model', base_url: up.openaiBaseUrl },
    { alias: 'extractor', provider: 'openai-compatible', model: 'extract-model', base_url: up.openaiBaseUrl },
  ];
}

export const memoryPlugins: AnyPlugin[] = [embeddingsLocal, memoryProfile, memorySemantic];

/** A host with storage on `backend`, the memory plugins and, with an upstream, provider-openai. */
export async function memoryHost(
  backend: Backend,
  options: {
    slot: string;
    upstream?: ScriptedUpstream;
    plugins?: AnyPlugin[];
    bots?: (Partial<BotConfig> & { slug: string })[];
    transports?: boolean;
    settings?: Record<string, unknown>;
    pluginConfig?: Record<string, unknown>;
  },
): Promise<TestHost> {
  const store = await backend.config(options.slot);
  return createTestHost({
    plugins: [storePostgresPlugin, ...(options.upstream ? [providerOpenai] : []), ...(options.plugins ?? memoryPlugins)],
    // Without an upstream there are no models to name.
    bots: options.bots ?? (options.upstream ? BOTS : BOTS.map(({ default_model: _model, settings: _settings, ...bot }) => bot)),
    ...(options.upstream ? { models: models(options.upstream), defaultModel: 'chat' } : {}),
    pluginConfig: { 'store-postgres': store, ...options.pluginConfig },
    settings: { upstream_max_retries: 0, ...options.settings },
    env: {},
    ...(options.transports ? { transports: true, listen: { port: 0 } } : {}),
  });
}

/** Rows in the knowledge tables, optionally for one bot. */
export async function knowledgeRows(host: TestHost, botId?: string): Promise<{ memories: number; profile: number }> {
  const connection = host.get(storeRef).em().getConnection();
  const count = async (table: string) => {
    const rows = (await connection.execute(`SELECT count(*)::int AS n FROM ${table}${botId ? ' WHERE bot_id = ?' : ''}`, botId ? [botId] : [])) as { n: number }[];
    return rows[0]?.n ?? 0;
  };
  return { memories: await count('memories'), profile: await count('profile_attributes') };
}

/** Resolves with the next extraction report the host publishes (extraction runs detached). */
export function nextExtraction(host: TestHost, timeoutMs = 10_000): Promise<ExtractionReport & { botId: string; userId: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('no extraction report in time'));
    }, timeoutMs);
    const stop = host.get(coreRefs.bus).subscribe(EXTRACTED_TOPIC, (payload) => {
      clearTimeout(timer);
      stop();
      resolve(payload as ExtractionReport & { botId: string; userId: string });
    });
  });
}

/** A user id no other test uses. */
let counter = 0;
export const freshUser = (label = 'user') => `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** Polls until `probe` returns something truthy. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
