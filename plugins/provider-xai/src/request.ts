import { contentText, mapContent, type ChatMessage, type GenerationParams, type ProviderRequest, type ToolSpec } from '@llm-bawt/sdk';
import type OpenAI from 'openai';

type Body = OpenAI.Responses.ResponseCreateParamsNonStreaming;
type InputItem = OpenAI.Responses.ResponseInputItem;
type InputContent = OpenAI.Responses.ResponseInputContent;

/** Builds the Responses API body from an OpenAI chat-shaped request. */
export function buildBody(request: ProviderRequest): Body {
  const { model, params, tools } = request;
  const { instructions, input } = toInput(request.messages);
  // Nothing is stored upstream: every turn sends its whole context.
  const body: Body = { model: model.model, input, store: false };
  if (instructions !== undefined) body.instructions = instructions;
  if (tools.length > 0) body.tools = tools.map(toTool);
  const toolChoice = toToolChoice(params.tool_choice);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.top_p !== undefined) body.top_p = params.top_p;
  const maxTokens = params.max_tokens ?? model.max_output_tokens;
  if (maxTokens !== undefined) body.max_output_tokens = maxTokens;
  if (params.reasoning_effort !== undefined) body.reasoning = { effort: params.reasoning_effort };
  const format = toTextFormat(params.response_format);
  if (format !== undefined) body.text = { format };
  // The Responses API has no stop, seed or penalty parameters.
  return body;
}

/**
 * System and developer messages become `instructions`; assistant tool calls become
 * `function_call` items and tool results `function_call_output` items, keyed by call id.
 */
export function toInput(messages: ChatMessage[]): { instructions: string | undefined; input: InputItem[] } {
  const instructions: string[] = [];
  const input: InputItem[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = contentText(message.content);
        if (text) instructions.push(text);
        break;
      }
      case 'user': {
        const content = userContent(message.content);
        if (content.length > 0) input.push({ role: 'user', content });
        break;
      }
      case 'assistant': {
        const text = contentText(message.content);
        if (text) input.push({ role: 'assistant', content: text });
        for (const call of message.tool_calls ?? []) {
          input.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments });
        }
        break;
      }
      case 'tool':
        input.push({ type: 'function_call_output', call_id: message.tool_call_id ?? '', output: contentText(message.content) });
        break;
    }
  }
  return { instructions: instructions.length > 0 ? instructions.join('\n\n') : undefined, input };
}

function userContent(content: ChatMessage['content']): InputContent[] {
  return mapContent<InputContent>(content, {
    text: (text) => ({ type: 'input_text', text }),
    image: ({ url, detail }) => ({ type: 'input_image', image_url: url, detail: detail ?? 'auto' }),
  });
}

function toTool(tool: ToolSpec): OpenAI.Responses.FunctionTool {
  const out: OpenAI.Responses.FunctionTool = {
    type: 'function',
    name: tool.function.name,
    parameters: tool.function.parameters ?? { type: 'object', properties: {} },
    strict: tool.function.strict ?? false,
  };
  if (tool.function.description !== undefined) out.description = tool.function.description;
  return out;
}

/** Chat `tool_choice` in the Responses shape (a named function loses its `function` wrapper). */
function toToolChoice(choice: GenerationParams['tool_choice']): Body['tool_choice'] {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  const name = (choice as { function?: { name?: unknown } } | undefined)?.function?.name;
  return typeof name === 'string' ? { type: 'function', name } : undefined;
}

type JsonSchemaSpec = { name?: string; schema?: Record<string, unknown>; strict?: boolean; description?: string };

/** Chat `response_format` as Responses `text.format` (json_schema flattens its wrapper). */
function toTextFormat(format: GenerationParams['response_format']): OpenAI.Responses.ResponseFormatTextConfig | undefined {
  if (format === undefined) return undefined;
  if (format['type'] === 'json_schema') {
    const spec = (format['json_schema'] ?? {}) as JsonSchemaSpec;
    const out: OpenAI.Responses.ResponseFormatTextJSONSchemaConfig = {
      type: 'json_schema',
      name: spec.name ?? 'response',
      schema: spec.schema ?? {},
    };
    if (spec.strict !== undefined) out.strict = spec.strict;
    if (spec.description !== undefined) out.description = spec.description;
    return out;
  }
  if (format['type'] === 'json_object') return { type: 'json_object' };
  if (format['type'] === 'text') return { type: 'text' };
  return undefined;
}
