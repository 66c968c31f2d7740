import * as v from 'valibot';

/** Config of embeddings-openai; the key comes from the environment unless given here. @public */
export const embeddingsOpenaiConfigSchema = v.object({
  /** Embedding model; it must accept the `dimensions` parameter (the text-embedding-3 family does). */
  model: v.optional(v.pipe(v.string(), v.minLength(1)), 'text-embedding-3-small'),
  /** Environment variable holding the API key. */
  apiKeyEnv: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')), 'OPENAI_API_KEY'),
  /** The key itself (prefer apiKeyEnv: config files get committed). */
  apiKey: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** An OpenAI-compatible server's base URL, e.g. http://localhost:8080/v1. */
  baseUrl: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100)), 30_000),
  maxRetries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)), 2),
  /** Texts per upstream request. */
  batchSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2048)), 256),
});

/** Parsed embeddings-openai config. @public */
export type EmbeddingsOpenaiConfig = v.InferOutput<typeof embeddingsOpenaiConfigSchema>;
