import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import { createError, isLlmbError, type AnyRef, type BotConfig, type HostApi, type Logger, type RefValue, type ToolContext } from '@llm-bawt/sdk';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { FAMILIES, type Family, type McpToolEntry } from '../tools/define.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

/** A tool as this host serves it. */
export interface ServedTool {
  readonly entry: McpToolEntry;
  /** What `tools/list` shows: name, description, JSON Schema input, annotations. */
  readonly listing: Tool;
}

/** The tools one host serves over MCP, and the one way to call them. @public */
export interface McpToolbox {
  readonly tools: readonly ServedTool[];
  /** The `tools/list` answer (computed once). */
  list(): Tool[];
  /** Tool names by family. */
  families(): Partial<Record<Family, string[]>>;
  /** Runs a tool call; undefined when there is no such tool. Failures are results with `isError`. */
  call(name: string, args: Record<string, unknown> | undefined, signal: AbortSignal): Promise<CallToolResult | undefined>;
}

const SCOPE_PROPERTIES = {
  bot_id: { type: 'string', minLength: 1, description: "The bot to act as (default: the host's default bot)" },
  user_id: { type: 'string', minLength: 1, description: 'The user whose data this is (default: the default user)' },
};

const scopeField = v.optional(v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters')));
const scopeSchema = v.object({ bot_id: scopeField, user_id: scopeField });

/** A tool's own input as JSON Schema (valibot features JSON Schema lacks are dropped). */
function ownSchemaOf(entry: McpToolEntry): JsonSchema {
  const { $schema: _dialect, ...schema } = toJsonSchema(entry.tool.input, { errorMode: 'ignore' }) as JsonSchema;
  return schema.type === 'object' ? schema : { type: 'object', properties: {} };
}

/** A tool's input as JSON Schema, with the `bot_id` and `user_id` every MCP call takes. */
export function inputSchemaOf(entry: McpToolEntry): JsonSchema & { type: 'object' } {
  const base = ownSchemaOf(entry);
  return { ...base, type: 'object', properties: { ...base.properties, ...SCOPE_PROPERTIES } };
}

/** Annotations with both hints spelled out (MCP's defaults when a tool declares none: not read-only, destructive). */
export function annotationsOf(entry: McpToolEntry): NonNullable<Tool['annotations']> {
  const declared = entry.tool.annotations ?? {};
  const readOnlyHint = declared.readOnlyHint ?? false;
  return {
    readOnlyHint,
    destructiveHint: declared.destructiveHint ?? !readOnlyHint,
    ...(declared.idempotentHint !== undefined ? { idempotentHint: declared.idempotentHint } : {}),
  };
}

function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 8)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

const errorResult = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

function resultOf(value: unknown): CallToolResult {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? 'done' : JSON.stringify(value);
  return { content: [{ type: 'text', text }] };
}

export interface ToolboxOptions {
  entries: readonly McpToolEntry[];
  /** Whether some plugin provides a ref (tools needing a missing one are not served). */
  provided(ref: AnyRef): boolean;
  disabled: ReadonlySet<string>;
  host: HostApi;
  logger: Logger;
  defaultUser: string;
  /** Stands in for request-scoped refs (`coreRefs.db`), which have no request outside a turn. */
  requestRef?(ref: AnyRef): unknown;
}

/**
 * The MCP tools of one host: every tool plugins contribute to the tool loop plus the MCP-only
 * families, minus those whose services are not loaded. Calls are validated with the tools'
 * valibot schemas and scoped to the bot and user the arguments name, as the HTTP API does.
 */
export function createToolbox(options: ToolboxOptions): McpToolbox {
  const { host, logger } = options;
  const seen = new Set<string>();
  const served: ServedTool[] = [];
  for (const entry of options.entries) {
    const name = entry.tool.name;
    if (options.disabled.has(name) || !entry.needs.every((ref) => options.provided(ref))) continue;
    if (seen.has(name)) {
      logger.warn(`MCP tool '${name}' of plugin '${entry.pluginId}' is not served: another tool has that name`);
      continue;
    }
    seen.add(name);
    served.push({ entry, listing: { name, description: entry.tool.description, inputSchema: inputSchemaOf(entry) as Tool['inputSchema'], annotations: annotationsOf(entry) } });
  }
  served.sort((a, b) => FAMILIES.indexOf(a.entry.family) - FAMILIES.indexOf(b.entry.family));
  const byName = new Map(served.map((tool) => [tool.listing.name, tool]));
  // The tool's own schema sees only its own fields (a contributed tool may be strict).
  const strip = new Map(served.map((tool) => [tool.listing.name, Object.keys(SCOPE_PROPERTIES).filter((key) => !Object.hasOwn(ownSchemaOf(tool.entry).properties ?? {}, key))]));
  const listing = served.map((tool) => tool.listing);

  function scopeOf(args: Record<string, unknown>): { bot: BotConfig; userId: string } | CallToolResult {
    const parsed = v.safeParse(scopeSchema, { bot_id: args.bot_id, user_id: args.user_id });
    if (!parsed.success) return errorResult(`Invalid arguments: ${issuesText(parsed.issues)}`);
    const slug = parsed.output.bot_id ?? host.bots.defaultSlug();
    const bot = host.bots.get(slug);
    if (!bot) return errorResult(`LLMB_ERR_UNKNOWN_BOT (bot_id): The bot '${slug}' does not exist`);
    return { bot, userId: parsed.output.user_id ?? options.defaultUser };
  }

  return {
    tools: served,
    list: () => listing,
    families() {
      const out: Partial<Record<Family, string[]>> = {};
      for (const tool of served) (out[tool.entry.family] ??= []).push(tool.listing.name);
      return out;
    },
    async call(name, rawArgs, signal) {
      const tool = byName.get(name);
      if (!tool) return undefined;
      const { entry } = tool;
      const args = rawArgs ?? {};
      const scope = scopeOf(args);
      if ('content' in scope) return scope;
      const own: Record<string, unknown> = { ...args };
      for (const key of strip.get(name) ?? []) delete own[key];
      const parsed = v.safeParse(entry.tool.input, own);
      if (!parsed.success) return errorResult(`LLMB_ERR_INVALID_REQUEST: invalid arguments for '${name}': ${issuesText(parsed.issues)}`);
      if (entry.gate === 'memory' && !scope.bot.requires_memory) {
        return errorResult(`LLMB_ERR_INVALID_REQUEST (bot_id): the bot '${scope.bot.slug}' keeps no memory (requires_memory: false), so '${name}' cannot act for it`);
      }
      if (entry.gate === 'search' && !scope.bot.uses_search) {
        return errorResult(`LLMB_ERR_FORBIDDEN (bot_id): the bot '${scope.bot.slug}' does not search the web (uses_search: false), so '${name}' cannot act for it`);
      }
      const ctx: ToolContext = {
        bot: scope.bot,
        userId: scope.userId,
        signal,
        logger: logger.child({ tool: name, plugin: entry.pluginId, transport: 'mcp' }),
        get: <R extends AnyRef>(ref: R): RefValue<R> => {
          if (ref.scope === 'request') {
            const value = options.requestRef?.(ref);
            if (value === undefined) throw createError('LLMB_ERR_INTERNAL', `ref ${ref.id} belongs to a turn and has no value in an MCP call`);
            return value as RefValue<R>;
          }
          return host.get(ref);
        },
      };
      try {
        return resultOf(await entry.tool.run(parsed.output, ctx));
      } catch (error) {
        if (isLlmbError(error)) {
          const param = error.origin.param ? ` (${error.origin.param})` : '';
          if (error.status >= 500) logger.warn(`MCP tool '${name}' failed: ${error.message}`);
          return errorResult(`${error.code}${param}: ${error.message}`);
        }
        logger.warn(`MCP tool '${name}' threw: ${error instanceof Error ? error.message : String(error)}`);
        return errorResult(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

