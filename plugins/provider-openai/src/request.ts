import type { ChatMessage, ModelSpec, ProviderRequest } from '@llm-bawt/sdk';
import type OpenAI from 'openai';

type Body = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type MessageParam = OpenAI.Chat.ChatCompletionMessageParam;

/** Models that reject sampling parameters (reasoning models, search/audio previews). */
const NO_SAMPLING = /^(o\d|gpt-5)|-chat-latest$|-search-preview|-audio-preview/;

/** Builds the chat-completions body; parameters are sent only when set. */
export function buildBody(request: ProviderRequest): Body {
  const { model, params, tools } = request;
  const body: Body = { model: model.model, messages: request.messages.map(toMessageParam) };
  if (tools.length > 0) body.tools = tools as OpenAI.Chat.ChatCompletionTool[];
  if (params.tool_choice !== undefined) body.tool_choice = params.tool_choice as OpenAI.Chat.ChatCompletionToolChoiceOption;
  const sampling = model.provider !== 'openai' || !NO_SAMPLING.test(model.model);
  if (sampling && params.temperature !== undefined) body.temperature = params.temperature;
  if (sampling && params.top_p !== undefined) body.top_p = params.top_p;
  const maxTokens = params.max_tokens ?? model.max_output_tokens;
  if (maxTokens !== undefined) {
    // OpenAI itself wants max_completion_tokens; most compatible servers only know max_tokens.
    if (model.provider === 'openai') body.max_completion_tokens = maxTokens;
    else body.max_tokens = maxTokens;
  }
  if (params.stop !== undefined && params.stop.length > 0) body.stop = params.stop;
  if (params.seed !== undefined) body.seed = params.seed;
  if (params.presence_penalty !== undefined) body.presence_penalty = params.presence_penalty;
  if (params.frequency_penalty !== undefined) body.frequency_penalty = params.frequency_penalty;
  if (params.response_format !== undefined) {
    body.response_format = params.response_format as unknown as OpenAI.Chat.ChatCompletionCreateParams['response_format'];
  }
  if (params.reasoning_effort !== undefined) body.reasoning_effort = params.reasoning_effort;
  return body;
}

/** Our messages are OpenAI-shaped already; drop what upstream must not (or cannot) see. */
function toMessageParam({ reasoning_content: _reasoning, tool_calls, ...message }: ChatMessage): MessageParam {
  // OpenAI rejects an empty tool_calls array.
  const param = tool_calls !== undefined && tool_calls.length > 0 ? { ...message, tool_calls } : message;
  return param as MessageParam;
}

/** Whether the model id looks like a reasoning model. */
export function looksLikeReasoningModel(model: ModelSpec): boolean {
  return /^(o\d|gpt-5)|reason|thinking|deepseek-r1|qwq/i.test(model.model) || model.options?.['reasoning'] === true;
}
