import { coreRefs, type ToolDefinition, type ToolSpec, type TurnContext } from '@llm-bawt/sdk';
import { toolSpec } from './schema.js';

/** Tools the memory plugins contribute; they need the turn's `use_memory` decision. */
export const MEMORY_TOOLS: ReadonlySet<string> = new Set(['memory', 'history', 'profile', 'self']);
/** Tools that reach the web; they need the turn's `use_search` decision. */
export const SEARCH_TOOLS: ReadonlySet<string> = new Set(['search', 'web_fetch']);

/** A server tool offered in this turn, with the plugin that contributed it. */
export interface ServerTool {
  pluginId: string;
  tool: ToolDefinition;
  spec: ToolSpec;
}

/**
 * The server tools a turn may call. None unless `use_tools`, except that a memory bot
 * without tools gets `memory` alone; memory tools need `use_memory`, web tools `use_search`;
 * a `tools` setting (array of names) narrows the set further. A client tool of the same
 * name wins: the client asked for it explicitly.
 */
export function serverToolsFor(ctx: TurnContext, clientNames: ReadonlySet<string>): Map<string, ServerTool> {
  const tools = new Map<string, ServerTool>();
  const { use_tools, use_memory, use_search } = ctx.decisions;
  if (!use_tools && !use_memory) return tools;
  const allowed = ctx.setting<unknown>('tools', undefined);
  const allow = Array.isArray(allowed) ? new Set(allowed.filter((name): name is string => typeof name === 'string')) : undefined;
  for (const { pluginId, value: tool } of ctx.get(coreRefs.contributions).tools) {
    const name = tool.name;
    if (clientNames.has(name) || tools.has(name)) continue;
    if (!use_tools && name !== 'memory') continue;
    if (MEMORY_TOOLS.has(name) && !use_memory) continue;
    if (SEARCH_TOOLS.has(name) && !use_search) continue;
    if (allow && !allow.has(name)) continue;
    tools.set(name, { pluginId, tool, spec: toolSpec(tool) });
  }
  return tools;
}
