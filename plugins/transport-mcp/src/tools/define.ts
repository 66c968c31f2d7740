import * as v from 'valibot';
import { defineTool, type AnyRef, type ToolContext, type ToolDefinition } from '@llm-bawt/sdk';

/** The tool families the MCP server serves, in the order tools/list shows them. */
export const FAMILIES = [
  'memory',
  'messages',
  'summaries',
  'sessions',
  'profile',
  'system',
  'bots',
  'self',
  'tasks',
  'steps',
  'projects',
  'activity',
  'tools',
] as const;

/** One family of tools. `tools` holds the tools plugins contribute to the tool loop. */
export type Family = (typeof FAMILIES)[number];

/** A tool the MCP server knows, with what it needs to be served. */
export interface McpToolEntry {
  family: Family;
  /** The plugin that defines it (`transport-mcp` for MCP-only tools). */
  pluginId: string;
  tool: ToolDefinition;
  /** Refs that must be provided for the tool to be served; a missing one drops the tool. */
  needs: readonly AnyRef[];
  /**
   * What the named bot must allow, as the tool loop gates these tools: `memory` needs a bot
   * that keeps memory (`requires_memory`), `search` one that searches (`uses_search`).
   */
  gate: 'memory' | 'search' | undefined;
}

export const MCP_PLUGIN_ID = 'transport-mcp';

/**
 * Defines an MCP-only tool of a family. Every MCP tool also takes `bot_id` and `user_id`
 * (added by the server), so inputs here never declare them. With `memory`, the tool works
 * on memory layers and is refused for a bot that keeps none, as the HTTP API refuses it.
 */
export function mcpTool<S extends v.GenericSchema>(
  family: Family,
  needs: readonly AnyRef[],
  definition: ToolDefinition<S>,
  options: { memory?: boolean } = {},
): McpToolEntry {
  return { family, pluginId: MCP_PLUGIN_ID, tool: defineTool(definition) as unknown as ToolDefinition, needs, gate: options.memory ? 'memory' : undefined };
}

/** The scope a tool runs in, as `{ botId, userId }`. */
export const scopeOf = (ctx: ToolContext) => ({ botId: ctx.bot.slug, userId: ctx.userId });

// Shared input pieces, with messages a model or agent can act on.
export const text = (max: number) => v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
export const int = (min: number, max: number) =>
  v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(min, `must be >= ${min}`), v.maxValue(max, `must be <= ${max}`));
export const fraction = v.pipe(v.number('must be a number'), v.minValue(0, 'must be >= 0'), v.maxValue(1, 'must be <= 1'));
export const uuid = v.pipe(v.string('must be a string'), v.uuid('must be a UUID'));
export const isoDate = v.pipe(
  v.string('must be an ISO 8601 timestamp'),
  v.check((value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 timestamp'),
  v.transform((value) => new Date(value)),
);
export const tags = v.pipe(v.array(text(32), 'must be an array of strings'), v.maxLength(20, 'must hold at most 20 tags'));
export const describe = <S extends v.GenericSchema>(schema: S, description: string) => v.pipe(schema, v.description(description));

/** A read-only tool's annotations. */
export const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true } as const;
/** Adds or changes data without removing any. */
export const WRITE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false } as const;
/** Removes or replaces data. */
export const DESTROY = { readOnlyHint: false, destructiveHint: true, idempotentHint: false } as const;
