import * as v from 'valibot';
import type { BotRegistry, ChatMessage, GenerationParams, ModelRegistry, ToolSpec, TurnInput } from '@llm-bawt/sdk';
import { apiError } from '../errors.js';
import { chatRequestSchema, issuePath, type ChatRequest } from './schema.js';

/** A validated chat request, ready for `host.runTurn`. */
export interface ChatCall {
  input: TurnInput;
  stream: boolean;
  includeUsage: boolean;
  /** The `model` the client asked for, echoed in every response object. */
  requestedModel: string | undefined;
}

/** Validates the body (400 with the offending `param` on failure). */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw apiError('LLMB_ERR_INVALID_REQUEST', 'The request body must be a JSON object.');
  }
  const result = v.safeParse(chatRequestSchema, body);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const param = issuePath(issue);
  if (param === '') throw apiError('LLMB_ERR_INVALID_REQUEST', issue.message);
  const message = issue.input === undefined ? `Missing required parameter: '${param}'.` : `Invalid '${param}': ${issue.message}.`;
  throw apiError('LLMB_ERR_INVALID_REQUEST', message, param);
}

function params(body: ChatRequest, stream: boolean): GenerationParams {
  const out: GenerationParams = {};
  if (body.temperature != null) out.temperature = body.temperature;
  if (body.top_p != null) out.top_p = body.top_p;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) out.max_tokens = maxTokens;
  if (body.stop != null) out.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.presence_penalty != null) out.presence_penalty = body.presence_penalty;
  if (body.frequency_penalty != null) out.frequency_penalty = body.frequency_penalty;
  if (body.seed != null) out.seed = body.seed;
  if (body.response_format != null) out.response_format = body.response_format;
  if (body.reasoning_effort != null) out.reasoning_effort = body.reasoning_effort;
  if (body.tool_choice != null) out.tool_choice = body.tool_choice;
  if (stream && body.stream_options?.include_usage) out.include_usage = true;
  return out;
}

/**
 * Maps a validated request onto a turn. `model` may name a models.yaml alias or a bot with
 * an agent backend; the latter selects that bot (agent bots bring their own model).
 */
export function toChatCall(body: ChatRequest, models: ModelRegistry, bots: BotRegistry): ChatCall {
  const stream = body.stream === true;
  let botId = body.bot_id ?? undefined;
  let model = body.model ?? undefined;
  if (model !== undefined && models.get(model) === undefined && bots.get(model)?.agent_backend) {
    if (botId !== undefined && botId !== model) {
      throw apiError('LLMB_ERR_INVALID_REQUEST', `'model' names the agent bot '${model}' but 'bot_id' names '${botId}'; send one of them.`, 'model');
    }
    botId = model;
    model = undefined;
  }
  const input: TurnInput = {
    messages: body.messages.map((m) => (m.content === undefined ? { ...m, content: null } : m)) as ChatMessage[],
    stream,
    params: params(body, stream),
  };
  if (botId !== undefined) input.botId = botId;
  if (model !== undefined) input.model = model;
  if (body.user != null) input.userId = body.user;
  if (body.session_id != null) input.sessionId = body.session_id;
  if (body.tools != null && body.tools.length > 0) input.tools = body.tools as ToolSpec[];
  if (body.augment_memory != null) input.augmentMemory = body.augment_memory;
  if (body.include_summaries != null) input.includeSummaries = body.include_summaries;
  // Client-minted ids of the stored user message and reply (memory-history checks them).
  if (body.user_message_id != null || body.assistant_message_id != null) {
    input.metadata = {
      ...(body.user_message_id != null ? { user_message_id: body.user_message_id } : {}),
      ...(body.assistant_message_id != null ? { assistant_message_id: body.assistant_message_id } : {}),
    };
  }
  return { input, stream, includeUsage: stream && body.stream_options?.include_usage === true, requestedModel: body.model ?? undefined };
}
