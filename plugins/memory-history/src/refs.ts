import { createRef } from '@llm-bawt/sdk';
import type { HistoryService } from './types.js';

/** Layer 1 of memory (raw messages): for other plugins, routes, tools and the MCP server. @public */
export const historyRef = createRef<HistoryService>({ id: 'memory-history.history' });
