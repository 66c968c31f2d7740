import type { ChatMessage, ContentPart, FinishedTurn } from '@llm-bawt/sdk';
import { textOf } from './tokens.js';
import type { NewMessage, StoredMessage } from './types.js';

const isInstruction = (message: ChatMessage) => message.role === 'system' || message.role === 'developer';

/**
 * Splits a request's messages into the client's instructions (system and developer
 * messages) and the new trailing messages: what follows the last finished assistant
 * message. OpenAI clients resend the whole conversation each turn; the part before that
 * assistant message is already stored, so only the trailing part is new. An assistant
 * message that asked for client tools is not finished: it stays with the tool results after it.
 */
export function splitConversation(messages: readonly ChatMessage[]): { lead: ChatMessage[]; trailing: ChatMessage[] } {
  const lastAnswer = messages.findLastIndex((m) => m.role === 'assistant' && !(m.tool_calls && m.tool_calls.length > 0));
  return {
    lead: messages.filter(isInstruction),
    trailing: messages.slice(lastAnswer + 1).filter((m) => !isInstruction(m)),
  };
}

/** The non-text parts of a message, as references worth keeping (never inline data). */
export function attachmentsOf(content: ChatMessage['content']): unknown[] {
  if (content === null || typeof content === 'string') return [];
  return content.filter((part) => part.type !== 'text').map(describePart);
}

function describePart(part: Exclude<ContentPart, { type: 'text' }>): Record<string, unknown> {
  switch (part.type) {
    case 'image_url': {
      const url = part.image_url.url;
      const inline = /^data:([^;,]+)/i.exec(url);
      return inline ? { type: 'image_url', inline: true, media_type: inline[1] } : { type: 'image_url', url };
    }
    case 'input_audio':
      return { type: 'input_audio', format: part.input_audio.format };
    case 'file':
      return { type: 'file', ...(typeof part.file.filename === 'string' ? { filename: part.file.filename } : {}), ...(typeof part.file.file_id === 'string' ? { file_id: part.file.file_id } : {}) };
  }
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… [${text.length - max} more characters]` : text);

/** The `[Tool Results @ ts]` system row of a turn that ran server tools. */
export function toolResultsText(turn: Pick<FinishedTurn, 'toolRuns'>, at: Date): string {
  const lines = turn.toolRuns.map((run) => {
    const outcome = run.error === undefined ? clip(run.result, 2_000) : `error: ${clip(run.error, 500)}`;
    return `- ${run.name} ${clip(run.arguments || '{}', 500)} -> ${outcome}`;
  });
  return [`[Tool Results @ ${at.toISOString()}]`, ...lines].join('\n');
}

/**
 * The rows a finished turn adds: its new user messages, a tool-results system row when
 * server tools ran, and the reply. The last user message and the reply take the ids minted
 * (or sent by the client) in `request.metadata`.
 */
export function turnRows(turn: FinishedTurn, endedAt: Date): NewMessage[] {
  const { metadata, sessionId } = turn.request;
  const users = splitConversation(turn.request.messages).trailing.filter((m) => m.role === 'user');
  const session = sessionId ?? null;
  const rows: NewMessage[] = users.map((message, index) => ({
    ...(index === users.length - 1 && typeof metadata.user_message_id === 'string' ? { id: metadata.user_message_id } : {}),
    sessionId: session,
    role: 'user',
    content: textOf(message.content),
    attachments: attachmentsOf(message.content),
    createdAt: turn.startedAt,
  }));
  if (turn.toolRuns.length > 0) rows.push({ sessionId: session, role: 'system', content: toolResultsText(turn, endedAt), createdAt: endedAt });
  if (turn.reply.content.trim() !== '') {
    rows.push({
      ...(typeof metadata.assistant_message_id === 'string' ? { id: metadata.assistant_message_id } : {}),
      sessionId: session,
      role: 'assistant',
      content: turn.reply.content,
      reasoning: turn.reply.reasoning ?? null,
      createdAt: endedAt,
    });
  }
  return rows;
}

/** A stored row as a chat message for the model. */
export const toChatMessage = (message: StoredMessage): ChatMessage => ({ role: message.role, content: message.content });
