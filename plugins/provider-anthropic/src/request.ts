import type { GenerationParams, ProviderRequest, ToolSpec } from '@llm-bawt/sdk';
import type Anthropic from '@anthropic-ai/sdk';
import { inToolLoop, toConversation } from './messages.js';

type Body = Anthropic.MessageCreateParamsNonStreaming;

const DEFAULT_MAX_TOKENS = 4096;

/** Thinking budgets per OpenAI `reasoning_effort`. */
const THINKING_BUDGETS = { minimal: 1024, low: 2048, medium: 8192, high: 16384 } as const;

/** Builds the Messages API body from an OpenAI-shaped request. */
export function buildBody(request: ProviderRequest): Body {
  const { model, params, tools } = request;
  const { system, messages } = toConversation(request.messages);
  const body: Body = { model: model.model, messages, max_tokens: params.max_tokens ?? model.max_output_tokens ?? DEFAULT_MAX_TOKENS };
  if (system !== undefined) body.system = system;
  if (tools.length > 0) body.tools = tools.map(toTool);
  const toolChoice = toToolChoice(params.tool_choice);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  // Whitespace-only stop sequences are rejected by the API.
  const stop = params.stop?.filter((sequence) => sequence.trim() !== '');
  if (stop !== undefined && stop.length > 0) body.stop_sequences = stop;

  const format = toOutputFormat(params.response_format);
  if (format !== undefined) body.output_config = { format };
  // API version 2026-10-21 (this SDK) has no temperature or top_p; seed and penalties never existed.
  const thinking = thinkingConfig(request, toolChoice);
  if (thinking === undefined) return body;
  body.thinking = thinking.config;
  if (thinking.effort !== undefined) body.output_config = { ...body.output_config, effort: thinking.effort };
  // Thinking counts against max_tokens; keep the caller's room for the answer itself.
  if (thinking.config.type === 'enabled' && thinking.config.budget_tokens >= body.max_tokens) {
    body.max_tokens += thinking.config.budget_tokens;
  }
  return body;
}

type Thinking = { config: Anthropic.ThinkingConfigEnabled | Anthropic.ThinkingConfigAdaptive; effort?: 'low' | 'medium' | 'high' };

/**
 * Thinking, when the alias allows it (`options.thinking`: `true`, `{ budget_tokens }` or
 * `'adaptive'`) and the request asks for it (`reasoning_effort`, or a configured budget).
 * Forced tool use and a running tool loop rule thinking out.
 */
function thinkingConfig(request: ProviderRequest, toolChoice: Anthropic.ToolChoice | undefined): Thinking | undefined {
  const allowed = request.model.options?.['thinking'];
  if (!allowed) return undefined;
  if (toolChoice?.type === 'any' || toolChoice?.type === 'tool') return undefined;
  if (inToolLoop(request.messages)) return undefined;
  const requested = request.params.reasoning_effort;
  // 'none' asks for no thinking; the other OpenAI levels map onto Anthropic's three.
  if (requested === 'none') return undefined;
  const effort = requested === 'xhigh' ? 'high' : requested;
  if (allowed === 'adaptive') {
    const config = { type: 'adaptive' } as const;
    return effort === undefined ? { config } : { config, effort: effort === 'minimal' ? 'low' : effort };
  }
  if (effort !== undefined) return { config: { type: 'enabled', budget_tokens: THINKING_BUDGETS[effort] } };
  const budget = (allowed as { budget_tokens?: unknown }).budget_tokens;
  return typeof budget === 'number' && budget >= 1024 ? { config: { type: 'enabled', budget_tokens: budget } } : undefined;
}

/** OpenAI `response_format` json_schema as Anthropic structured output; other formats have no equivalent. */
function toOutputFormat(format: GenerationParams['response_format']): Anthropic.JSONOutputFormat | undefined {
  const schema = (format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema;
  if (format?.['type'] !== 'json_schema' || typeof schema !== 'object' || schema === null) return undefined;
  return { type: 'json_schema', schema: schema as Record<string, unknown> };
}

function toTool(tool: ToolSpec): Anthropic.Tool {
  const out: Anthropic.Tool = {
    name: tool.function.name,
    input_schema: (tool.function.parameters ?? { type: 'object', properties: {} }) as Anthropic.Tool.InputSchema,
  };
  if (tool.function.description !== undefined) out.description = tool.function.description;
  return out;
}

/** OpenAI `tool_choice` (`auto`, `none`, `required`, or a named function) in Anthropic's shape. */
function toToolChoice(choice: GenerationParams['tool_choice']): Anthropic.ToolChoice | undefined {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  const name = (choice as { function?: { name?: unknown } } | undefined)?.function?.name;
  return typeof name === 'string' ? { type: 'tool', name } : undefined;
}

