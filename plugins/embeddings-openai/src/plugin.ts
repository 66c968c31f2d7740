import OpenAI from 'openai';
import { createError, defineEmbedder, definePlugin, type EmbedderDefinition } from '@llm-bawt/sdk';
import { embeddingsOpenaiConfigSchema, type EmbeddingsOpenaiConfig } from './config.js';

/** Dimensions asked of the model (DESIGN §7: every embedding is vector(384)). @public */
export const OPENAI_EMBEDDING_DIMENSIONS = 384;

interface Client {
  client: OpenAI;
  model: string;
  batchSize: number;
}

function normalise(values: number[]): number[] {
  let norm = 0;
  for (const value of values) norm += value * value;
  norm = Math.sqrt(norm);
  return norm === 0 ? values : values.map((value) => value / norm);
}

async function embedBatch(state: Client, texts: string[], signal: AbortSignal | undefined): Promise<number[][]> {
  const response = await state.client.embeddings.create(
    // `float` keeps the wire plain JSON numbers (the SDK would otherwise ask for base64).
    { model: state.model, input: texts, dimensions: OPENAI_EMBEDDING_DIMENSIONS, encoding_format: 'float' },
    signal ? { signal } : {},
  );
  const vectors: (number[] | undefined)[] = Array.from({ length: texts.length }, () => undefined);
  for (const item of response.data) vectors[item.index] = item.embedding;
  for (let i = 0; i < texts.length; i++) {
    const vector = vectors[i];
    if (!vector || vector.length !== OPENAI_EMBEDDING_DIMENSIONS) {
      throw createError(
        'LLMB_ERR_UPSTREAM',
        `embedding model '${state.model}' returned ${vector ? `${vector.length} dimensions` : 'no vector'} for input ${i}, expected ${OPENAI_EMBEDDING_DIMENSIONS}`,
      );
    }
    vectors[i] = normalise(vector);
  }
  return vectors as number[][];
}

/**
 * Makes an embeddings-openai plugin: `text-embedding-3-small` asked for 384 dimensions through
 * the `openai` SDK, against OpenAI or any compatible server (`baseUrl`). Each call makes its
 * own instance, so two hosts in one process do not share a client. @public
 */
export function createEmbeddingsOpenaiPlugin() {
  let state: Client | undefined;
  let unusable = 'embeddings-openai has not been set up';

  const embedder: EmbedderDefinition = defineEmbedder({
    id: 'embeddings-openai',
    dimensions: OPENAI_EMBEDDING_DIMENSIONS,
    async embed(texts, options) {
      if (!state) throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', unusable);
      const out: number[][] = [];
      for (let start = 0; start < texts.length; start += state.batchSize) {
        out.push(...(await embedBatch(state, texts.slice(start, start + state.batchSize), options.signal)));
      }
      return out;
    },
  });

  return definePlugin({
    id: 'embeddings-openai',
    version: '0.1.0',
    sdk: '^0.1.0',
    description: 'OpenAI embeddings (text-embedding-3-small at 384 dimensions) or any OpenAI-compatible /v1/embeddings',
    config: embeddingsOpenaiConfigSchema,
    contributes: { embedders: [embedder] },
    setup(ctx) {
      const config: EmbeddingsOpenaiConfig = ctx.config;
      const apiKey = config.apiKey ?? ctx.env[config.apiKeyEnv];
      if (!apiKey) {
        unusable = `${config.apiKeyEnv} is not set: embeddings-openai cannot embed (set it, or give apiKey/baseUrl in its config)`;
        ctx.logger.warn(unusable);
        return;
      }
      state = {
        client: new OpenAI({
          apiKey,
          ...(config.baseUrl ? { baseURL: config.baseUrl } : {}),
          timeout: config.timeoutMs,
          maxRetries: config.maxRetries,
        }),
        model: config.model,
        batchSize: config.batchSize,
      };
      return () => {
        state = undefined;
        unusable = 'embeddings-openai has shut down';
      };
    },
  });
}

/** The default instance. @public */
export const embeddingsOpenaiPlugin = createEmbeddingsOpenaiPlugin();

export default embeddingsOpenaiPlugin;
