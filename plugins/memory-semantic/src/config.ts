import * as v from 'valibot';
import { MEMORY_MIN_RELEVANCE, MEMORY_N_RESULTS } from './constants.js';

/** Config of memory-semantic (root, or per bot under `plugins: { memory-semantic: ... }`). @public */
export const memorySemanticConfigSchema = v.object({
  /** Embedder id (an `embedders` contribution); default `embeddings-local` when loaded, else the first 384-dimension one; `none` turns vectors off. */
  embedder: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Memories recalled per turn (runtime setting `memory_n_results` wins). */
  nResults: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)), MEMORY_N_RESULTS),
  /** Recalled memories scoring below this stay out of the prompt. */
  minRelevance: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), MEMORY_MIN_RELEVANCE),
  /** The diversity pass over recalled memories. */
  diversity: v.optional(v.boolean(), true),
  /** Fact extraction after each turn: through the background model (`llm`, heuristic fallback), `heuristic` only, or `off` (runtime setting `memory_extraction` wins). */
  extraction: v.optional(v.picklist(['llm', 'heuristic', 'off']), 'llm'),
  /** Most memories one consolidation run considers. */
  consolidationLimit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(20_000)), 2000),
  /** Embed memories stored without a vector when the host is ready. */
  reembedOnReady: v.optional(v.boolean(), true),
});

/** Parsed memory-semantic config. @public */
export type MemorySemanticConfig = v.InferOutput<typeof memorySemanticConfigSchema>;
