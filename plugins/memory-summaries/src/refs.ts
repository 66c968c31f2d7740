import { createRef } from '@llm-bawt/sdk';
import type { SummariesService } from './types.js';

/** Layer 3 of memory (summaries): for memory-sessions (`/new`), routes, tools and the MCP server. @public */
export const summariesRef = createRef<SummariesService>({ id: 'memory-summaries.summaries' });
