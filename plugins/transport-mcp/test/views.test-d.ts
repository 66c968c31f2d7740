import { expectTypeOf, test } from 'vitest';
import type { HistoryService } from '@llm-bawt/plugin-memory-history';
import type { SessionsService } from '@llm-bawt/plugin-memory-sessions';
import type { SummariesService } from '@llm-bawt/plugin-memory-summaries';
import type { SemanticService } from '@llm-bawt/plugin-memory-semantic';
import type { ProfileService } from '@llm-bawt/plugin-memory-profile';
import type { HistoryView, ProfileView, SemanticView, SessionsView, SummariesView } from '../src/services.js';

// The MCP tools reach the memory plugins through refs of the same ids and narrow views of
// their services; these assignments fail the type check when a service stops fitting its view.
// (Plain assignability: expectTypeOf's deep comparison misreads overloaded generic methods.)
declare const services: [HistoryService, SessionsService, SummariesService, SemanticService, ProfileService];

test('the memory services fit the views the MCP tools use', () => {
  const views: [HistoryView, SessionsView, SummariesView, SemanticView, ProfileView] = services;
  expectTypeOf(views).not.toBeAny();
});
