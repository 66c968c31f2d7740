import { createError } from '@llm-bawt/sdk';
import type { StoredMessage, StoredRole } from './types.js';

/** A timestamp selected as epoch milliseconds (a float8 the driver reads as a number). */
export const epochMs = (column: string, alias = column) => `(extract(epoch from ${column}) * 1000)::float8 AS ${alias}`;

/** The columns every message query selects (timestamps as epoch ms, `seq` for cursors). */
export const MESSAGE_COLUMNS = [
  'id::text AS id',
  'bot_id',
  'user_id',
  'session_id',
  'role',
  'content',
  'tokens',
  epochMs('created_at'),
  'processed',
  'summarized',
  'attachments',
  'reasoning',
  'seq::float8 AS seq',
].join(', ');

/** Columns copied between `messages` and `forgotten_messages`. */
export const COPIED_COLUMNS = 'id, seq, bot_id, user_id, session_id, role, content, tokens, created_at, processed, summarized, attachments, reasoning';

export interface MessageRow {
  id: string;
  bot_id: string;
  user_id: string;
  session_id: string | null;
  role: StoredRole;
  content: string;
  tokens: number;
  created_at: number;
  processed: boolean;
  summarized: boolean;
  attachments: unknown[] | null;
  reasoning: string | null;
  seq: number;
  forgotten_at?: number;
}

export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    botId: row.bot_id,
    userId: row.user_id,
    sessionId: row.session_id,
    role: row.role,
    content: row.content,
    tokens: row.tokens,
    createdAt: new Date(Math.round(row.created_at)),
    processed: row.processed,
    summarized: row.summarized,
    attachments: row.attachments ?? [],
    reasoning: row.reasoning,
    ...(row.forgotten_at === undefined ? {} : { forgottenAt: new Date(Math.round(row.forgotten_at)) }),
  };
}

/** An opaque page cursor: the (created_at, seq) of the oldest row of a page. */
export function encodeCursor(row: Pick<MessageRow, 'created_at' | 'seq'>): string {
  return Buffer.from(`${Math.round(row.created_at)}:${row.seq}`).toString('base64url');
}

export function decodeCursor(cursor: string, param = 'before'): { createdAt: string; seq: number } {
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw createError('LLMB_ERR_INVALID_REQUEST', `'${param}' is not a cursor this server returned`, { param });
  return { createdAt: new Date(Number(match[1])).toISOString(), seq: Number(match[2]) };
}
