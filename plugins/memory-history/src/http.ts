import * as v from 'valibot';
import { routeScope, scopeFields } from '@llm-bawt/sdk';
import type { HistoryScope, SearchHit, StoredMessage } from './types.js';

export const nonEmpty = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));

/** A whole number in a query string (`?limit=20`), within bounds. */
export const queryInt = (min: number, max: number) =>
  v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min, `must be >= ${min}`), v.maxValue(max, `must be <= ${max}`));

/** A whole number in a JSON body, within bounds. */
export const bodyInt = (min: number, max: number) =>
  v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(min, `must be >= ${min}`), v.maxValue(max, `must be <= ${max}`));

/** An ISO 8601 timestamp, as a Date. */
export const isoDate = v.pipe(
  v.string('must be an ISO 8601 timestamp'),
  v.check((text) => /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 timestamp'),
  v.transform((text) => new Date(text)),
);

export const uuid = v.pipe(v.string('must be a string'), v.uuid('must be a UUID'));

/** `bot_id` and `user`, as every history route takes them. */
export { scopeFields };

/** The bot (default: the host's default bot, which must exist) and user (default: the host's) a route acts for. */
export const scopeOf: (input: { bot_id?: string | undefined; user?: string | undefined }, ctx: Parameters<typeof routeScope>[1]) => HistoryScope = routeScope;

/** A stored message as the HTTP API shows it. */
export function messageJson(message: StoredMessage): Record<string, unknown> {
  return {
    id: message.id,
    object: 'history.message',
    bot_id: message.botId,
    user_id: message.userId,
    session_id: message.sessionId,
    role: message.role,
    content: message.content,
    created_at: message.createdAt.toISOString(),
    tokens: message.tokens,
    processed: message.processed,
    summarized: message.summarized,
    attachments: message.attachments,
    reasoning: message.reasoning,
    ...(message.forgottenAt ? { forgotten_at: message.forgottenAt.toISOString() } : {}),
  };
}

export const hitJson = (hit: SearchHit) => ({ ...messageJson(hit), score: hit.score, match: hit.mode });
