import { countTokens as count } from 'gpt-tokenizer';
import type { ChatMessage } from '@llm-bawt/sdk';

/** Tokens a chat message costs beyond its text (role and separators), as OpenAI counts them. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

// User text may contain special-token strings such as "<|endoftext|>"; count them as text.
const NO_SPECIALS = { disallowedSpecial: new Set<string>() };

/** Tokens of a text (o200k_base, gpt-tokenizer's default encoding). */
export function countTokens(text: string): number {
  return text === '' ? 0 : count(text, NO_SPECIALS);
}

/** The text of a message's content: strings as they are, the text parts of part arrays. */
export function textOf(content: ChatMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/** Tokens of a chat message, its overhead included. */
export function messageTokens(message: ChatMessage): number {
  const calls = message.tool_calls?.reduce((sum, call) => sum + countTokens(call.function.name) + countTokens(call.function.arguments), 0) ?? 0;
  return countTokens(textOf(message.content)) + calls + MESSAGE_OVERHEAD_TOKENS;
}
