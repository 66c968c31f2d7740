import { createError, type ContributionIndex, type EmbedderDefinition } from '@llm-bawt/sdk';
import { EMBEDDING_DIMENSIONS } from '@llm-bawt/plugin-store-postgres';

/** The embedder memories use (none means text search only). */
export function chooseEmbedder(contributions: ContributionIndex, wanted: string | undefined): EmbedderDefinition | undefined {
  const embedders = contributions.embedders.map((e) => e.value);
  if (wanted === 'none') return undefined;
  if (wanted !== undefined) {
    const found = embedders.find((e) => e.id === wanted);
    if (!found) {
      const loaded = embedders.map((e) => e.id).join(', ') || 'none';
      throw createError('LLMB_ERR_PLUGIN_SETUP', `memory-semantic: embedder '${wanted}' is not loaded (loaded: ${loaded}); add its plugin or change 'embedder'`, { pluginId: 'memory-semantic' });
    }
    if (found.dimensions !== EMBEDDING_DIMENSIONS) {
      throw createError('LLMB_ERR_PLUGIN_SETUP', `memory-semantic: embedder '${wanted}' makes ${found.dimensions} dimensions; memories need ${EMBEDDING_DIMENSIONS}`, { pluginId: 'memory-semantic' });
    }
    return found;
  }
  return embedders.find((e) => e.id === 'embeddings-local') ?? embedders.find((e) => e.dimensions === EMBEDDING_DIMENSIONS);
}
