export { default, embeddingsLocalPlugin, localEmbedder } from './plugin.js';
export { cosineSimilarity, hashEmbed, HASHING_WEIGHTS, LOCAL_EMBEDDING_DIMENSIONS, stem, tokenize } from './hashing.js';
