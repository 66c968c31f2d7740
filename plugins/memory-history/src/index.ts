export { default, memoryHistoryPlugin } from './plugin.js';
export { historyRef } from './refs.js';
export { FORGOTTEN_TOPIC, requireMemoryBot } from './service.js';
export { MESSAGE_ID_FIELDS } from './turn-hooks.js';
export { historyBudget } from './filter.js';
export { splitConversation } from './conversation.js';
export { countTokens, messageTokens, textOf, MESSAGE_OVERHEAD_TOKENS } from './tokens.js';
// Part of this package's API (memory-summaries takes them from here); store-postgres implements them.
export { databaseOf, isUuid, type Database, type Sql } from '@llm-bawt/plugin-store-postgres';
export { scopeOf } from './http.js';
export { historyTool } from './tool.js';
export type {
  ExpandedSummary,
  HistoryPage,
  HistoryScope,
  HistorySearch,
  HistoryService,
  HistorySummaries,
  InjectedSummary,
  NewMessage,
  SearchHit,
  SearchMode,
  StoredMessage,
  StoredRole,
} from './types.js';
