import * as v from 'valibot';
import { createError, routeScope, scopeFields, type RouteContext } from '@llm-bawt/sdk';
import { ID_PREFIX, UUID } from './repository.js';
import type { Memory, Scope, ScoredMemory } from './types.js';

export const nonEmpty = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));

/** A whole number in a query string, within bounds. */
export const queryInt = (min: number, max: number) =>
  v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min, `must be >= ${min}`), v.maxValue(max, `must be <= ${max}`));

/** A number in a query string, within bounds. */
export const queryNumber = (min: number, max: number) =>
  v.pipe(v.string(), v.regex(/^\d+(?:\.\d+)?$/, 'must be a number'), v.transform(Number), v.minValue(min, `must be >= ${min}`), v.maxValue(max, `must be <= ${max}`));

/** `true` or `false` in a query string. */
export const queryBool = v.pipe(v.picklist(['true', 'false'], "must be 'true' or 'false'"), v.transform((s) => s === 'true'));

export const importanceField = v.pipe(v.number('must be a number'), v.minValue(0, 'must be >= 0'), v.maxValue(1, 'must be <= 1'));
export const contentField = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(2000, 'must be at most 2000 characters'));
export const tagsField = v.pipe(
  v.array(v.pipe(v.string('must be a string'), v.regex(/^[A-Za-z][A-Za-z0-9 _-]{0,31}$/, 'must be a word of up to 32 letters, digits, _ or -')), 'must be an array of strings'),
  v.maxLength(10, 'at most 10 tags'),
);

/** `bot_id` and `user`, as every memory route takes them (query for GET and DELETE, body otherwise). */
export { scopeFields };

/** The bot (default: the host's default bot) and user a route acts for; the bot must keep memory. */
export function scopeOf(input: { bot_id?: string | undefined; user?: string | undefined }, ctx: RouteContext): Scope {
  const scope = routeScope(input, ctx);
  if (!ctx.host.bots.get(scope.botId)?.requires_memory) {
    throw createError('LLMB_ERR_INVALID_REQUEST', `The bot '${scope.botId}' keeps no memory (requires_memory: false)`, { param: 'bot_id' });
  }
  return scope;
}

/** The `:id` path parameter: a uuid or its first 8+ hex characters. */
export function idParam(params: Readonly<Record<string, string>>): string {
  const id = params.id ?? '';
  if (!UUID.test(id) && !ID_PREFIX.test(id)) throw createError('LLMB_ERR_INVALID_REQUEST', 'id must be a memory UUID (or its first 8+ characters)', { param: 'id' });
  return id.toLowerCase();
}

/** The fields a memory and a search hit both start with. */
function headJson(m: Pick<Memory, 'id' | 'botId' | 'userId' | 'content' | 'tags' | 'importance'>) {
  return { id: m.id, object: 'memory', bot_id: m.botId, user_id: m.userId, content: m.content, tags: m.tags, importance: m.importance };
}

/** A memory as the HTTP API shows it. */
export function memoryJson(m: Memory): Record<string, unknown> {
  return {
    ...headJson(m),
    status: m.status,
    source_message_ids: m.sourceMessageIds,
    access_count: m.accessCount,
    last_accessed: m.lastAccessed,
    superseded_by: m.supersededBy,
    superseded_at: m.supersededAt,
    has_embedding: m.hasEmbedding,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

/** A search hit: the memory and the parts of its score. */
export function scoredJson(m: ScoredMemory): Record<string, unknown> {
  return {
    ...headJson(m),
    access_count: m.accessCount,
    created_at: m.createdAt,
    score: m.score,
    similarity: m.similarity,
    decay: m.decay,
    half_life_days: m.halfLifeDays,
    access_boost: m.accessBoost,
    age_days: m.ageDays,
    via: m.via,
  };
}
