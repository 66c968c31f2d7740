import { contentText, mapContent, type ChatMessage } from '@llm-bawt/sdk';
import type Anthropic from '@anthropic-ai/sdk';

type Block = Anthropic.ContentBlockParam;
type ImageBlock = Anthropic.ImageBlockParam;
type MediaType = Anthropic.Base64ImageSource['media_type'];

/** OpenAI-shaped messages as the Messages API wants them. */
export interface AnthropicConversation {
  system: string | undefined;
  messages: Anthropic.MessageParam[];
}

/**
 * Maps OpenAI-shaped messages to the Messages API: system and developer messages go to
 * `system`, tool calls become `tool_use` blocks, tool results `tool_result` blocks in a user
 * turn, and consecutive turns of one role merge (the API wants them alternating).
 */
export function toConversation(messages: ChatMessage[]): AnthropicConversation {
  const system: string[] = [];
  const out: Anthropic.MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last?.role === role) (last.content as Block[]).push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = contentText(message.content);
        if (text) system.push(text);
        break;
      }
      case 'user':
        push('user', contentBlocks(message.content));
        break;
      case 'assistant':
        push('assistant', [...contentBlocks(message.content), ...(message.tool_calls ?? []).map(toToolUse)]);
        break;
      case 'tool':
        push('user', [
          { type: 'tool_result', tool_use_id: message.tool_call_id ?? '', content: toolResultContent(message.content) },
        ]);
        break;
    }
  }
  return { system: system.length > 0 ? system.join('\n\n') : undefined, messages: out };
}

/**
 * True while a tool loop is running: the last assistant turn asked for tools and no user has
 * spoken since. Thinking must then replay that turn's signed thinking block, which the
 * OpenAI message shape cannot carry.
 */
export function inToolLoop(messages: ChatMessage[]): boolean {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i]!;
    if (message.role === 'user') return false;
    if (message.role === 'assistant') return (message.tool_calls?.length ?? 0) > 0;
  }
  return false;
}

function toToolUse(call: NonNullable<ChatMessage['tool_calls']>[number]): Block {
  return { type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) };
}

/** The API wants an object; arguments the model got wrong earlier are replayed as empty. */
function parseArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Text and image blocks; the API rejects empty text blocks, so they are dropped. */
function contentBlocks(content: ChatMessage['content']): Block[] {
  return mapContent<Block>(content, { text: (text) => ({ type: 'text', text }), image: ({ url }) => toImage(url) });
}

function toolResultContent(content: ChatMessage['content']): string | Array<Anthropic.TextBlockParam | ImageBlock> {
  if (typeof content === 'string' || content === null) return content ?? '';
  return contentBlocks(content).filter((block): block is Anthropic.TextBlockParam | ImageBlock =>
    block.type === 'text' || block.type === 'image',
  );
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;
const MEDIA_TYPES = new Set<string>(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** Data URLs become base64 sources, http(s) URLs url sources; anything else is dropped. */
function toImage(url: string): ImageBlock | undefined {
  const data = DATA_URL.exec(url);
  if (data) {
    const mediaType = data[1]!.toLowerCase();
    if (!MEDIA_TYPES.has(mediaType)) return undefined;
    return { type: 'image', source: { type: 'base64', media_type: mediaType as MediaType, data: data[2]! } };
  }
  return /^https?:\/\//i.test(url) ? { type: 'image', source: { type: 'url', url } } : undefined;
}
