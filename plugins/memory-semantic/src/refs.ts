import { createRef } from '@llm-bawt/sdk';
import type { SemanticService } from './service.js';

/** The semantic memory service: store, search, supersede, consolidate, decay (for tools, routes and MCP). @public */
export const semanticRef = createRef<SemanticService>({ id: 'memory-semantic.memories' });
