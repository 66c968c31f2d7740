import { defineEmbedder, definePlugin } from '@llm-bawt/sdk';
import { hashEmbed, LOCAL_EMBEDDING_DIMENSIONS } from './hashing.js';

/**
 * The default embedder: lexical feature hashing into 384 dimensions, computed in-process
 * with no model and no network. It matches shared words and spellings, not meaning. @public
 */
export const localEmbedder = defineEmbedder({
  id: 'embeddings-local',
  dimensions: LOCAL_EMBEDDING_DIMENSIONS,
  async embed(texts, options) {
    options.signal?.throwIfAborted();
    return texts.map((text) => hashEmbed(text, LOCAL_EMBEDDING_DIMENSIONS));
  },
});

/** Contributes {@link localEmbedder}. @public */
export const embeddingsLocalPlugin = definePlugin({
  id: 'embeddings-local',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Lexical 384-dimension embeddings by feature hashing (no network, no model)',
  contributes: { embedders: [localEmbedder] },
});

export default embeddingsLocalPlugin;
