import { createRef } from '@llm-bawt/sdk';
import type { SessionsService, SessionSummarizer } from './types.js';

/** Layer 5 of memory (sessions): for other plugins, routes and the MCP server. @public */
export const sessionsRef = createRef<SessionsService>({ id: 'memory-sessions.sessions' });

/**
 * memory-summaries' service, seen as far as sessions need it. Refs are keyed by id, so this
 * reaches the same value as memory-summaries' own `summariesRef` without depending on its package.
 */
export const sessionSummarizerRef = createRef<SessionSummarizer>({ id: 'memory-summaries.summaries' });
