export { default, createEmbeddingsOpenaiPlugin, embeddingsOpenaiPlugin, OPENAI_EMBEDDING_DIMENSIONS } from './plugin.js';
export { embeddingsOpenaiConfigSchema, type EmbeddingsOpenaiConfig } from './config.js';
