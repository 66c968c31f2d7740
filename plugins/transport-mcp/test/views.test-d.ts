import { expectTypeOf, test } from 'vitest';
import type { HistoryService } from '@llm-bawt/plugin-memory-history';
import type { SessionsService } from '@llm-bawt/plugin-memory-sessions';
import type { SummariesService } from '@llm-bawt/plugin-memory-summaries';
import type { SemanticService } from '@llm-bawt/plugin-memory-semantic';
import type { ProfileService } from '@llm-bawt/plugin-memory-profile';
import type { HistoryView, ProfileView, SemanticView, SessionsView, SummariesView } from '../src/services.js';

// The MCP tools reach the memory plugins through refs of the same ids and narrow views of
// their services; these checks fail the type check when a service stops fitting its view.
test('the memory services fit the views the MCP tools use', () => {
  expectTypeOf<HistoryService>().toExtend<HistoryView>();
  expectTypeOf<SessionsService>().toExtend<SessionsView>();
  expectTypeOf<SummariesService>().toExtend<SummariesView>();
  expectTypeOf<SemanticService>().toExtend<SemanticView>();
  expectTypeOf<ProfileService>().toExtend<ProfileView>();
});
