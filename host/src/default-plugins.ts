/**
 * The plugins a host loads when its config lists none (`plugins` absent). They are
 * dependencies of this package, so they resolve from here whatever the working directory.
 */
export const DEFAULT_PLUGINS: readonly string[] = [
  '@llm-bawt/plugin-store-postgres',
  '@llm-bawt/plugin-memory-sessions',
  '@llm-bawt/plugin-memory-history',
  '@llm-bawt/plugin-memory-summaries',
  '@llm-bawt/plugin-embeddings-local',
  '@llm-bawt/plugin-memory-semantic',
  '@llm-bawt/plugin-memory-profile',
  '@llm-bawt/plugin-provider-openai',
  '@llm-bawt/plugin-provider-anthropic',
  '@llm-bawt/plugin-provider-xai',
  '@llm-bawt/plugin-transport-openai',
  '@llm-bawt/plugin-transport-mcp',
  '@llm-bawt/plugin-tools-core',
  '@llm-bawt/plugin-adapters',
];
