import type { ContributionIndex } from '@llm-bawt/sdk';
import { botTools } from './tools/bots.js';
import type { Family, McpToolEntry } from './tools/define.js';
import { memoryTools } from './tools/memory.js';
import { messageTools } from './tools/messages.js';
import { profileTools } from './tools/profile.js';
import { selfTools } from './tools/self.js';
import { sessionTools } from './tools/sessions.js';
import { summaryTools } from './tools/summaries.js';
import { systemTools } from './tools/system.js';
import { projectTools, stepTools, taskTools } from './tools/tasks.js';

/** Every MCP-only tool, in family order. @public */
export const MCP_TOOLS: readonly McpToolEntry[] = [
  ...memoryTools,
  ...messageTools,
  ...summaryTools,
  ...sessionTools,
  ...profileTools,
  ...systemTools,
  ...botTools,
  ...selfTools,
  ...taskTools,
  ...stepTools,
  ...projectTools,
];

/** Tools of the tool loop that belong to an MCP family by name; the rest are `tools`. */
const CONTRIBUTED_FAMILY: Readonly<Record<string, Family>> = { memory: 'memory', history: 'messages', profile: 'profile', self: 'self' };

/** The tool loop's gated names (docs/tools.md): memory tools need a memory bot, web tools a searching one. */
const CONTRIBUTED_GATE: Readonly<Record<string, McpToolEntry['gate']>> = { memory: 'memory', history: 'memory', profile: 'memory', self: 'memory', search: 'search', web_fetch: 'search' };

/** The tools plugins contribute to the tool loop, as MCP entries (served as they are). */
export function contributedEntries(contributions: Pick<ContributionIndex, 'tools'>): McpToolEntry[] {
  return contributions.tools.map(({ pluginId, value }) => ({ family: CONTRIBUTED_FAMILY[value.name] ?? 'tools', pluginId, tool: value, needs: [], gate: CONTRIBUTED_GATE[value.name] }));
}

/** Tools served only when cross-bot search is on. */
export const CROSS_BOT_TOOLS: ReadonlySet<string> = new Set(['memory_search_all', 'messages_search_all']);
