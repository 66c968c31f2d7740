import * as v from 'valibot';
import { createError, defineRoute, reply, type RouteContext } from '@llm-bawt/sdk';
import { profileRef } from './refs.js';
import { PROFILE_CATEGORIES } from './schema.js';
import { normalizeKey, type ProfileAttribute, type ProfileEntity } from './service.js';

const ENTITY_TYPES = ['user', 'bot'] as const;
const ENTITY_ID = /^[^\s/]{1,200}$/;

const botIdParam = v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(100)));
const keyParam = v.pipe(
  v.string(),
  v.check((key) => normalizeKey(key) !== undefined, 'must be 1-64 letters, digits, spaces, dots or underscores'),
);

/** Checks the path and query and returns whose profile it is; a user belongs to a bot. */
function entityOf(params: Readonly<Record<string, string>>, botId: string | undefined, ctx: RouteContext): ProfileEntity {
  const entityType = params.entity_type as (typeof ENTITY_TYPES)[number];
  if (!ENTITY_TYPES.includes(entityType)) throw createError('LLMB_ERR_INVALID_REQUEST', "entity_type must be 'user' or 'bot'", { param: 'entity_type' });
  const entityId = params.entity_id ?? '';
  if (!ENTITY_ID.test(entityId)) throw createError('LLMB_ERR_INVALID_REQUEST', 'entity_id must be 1-200 characters without spaces or slashes', { param: 'entity_id' });
  let slug: string;
  if (entityType === 'bot') {
    if (botId !== undefined && botId !== entityId) throw createError('LLMB_ERR_INVALID_REQUEST', "a bot's traits belong to that bot: bot_id must equal entity_id", { param: 'bot_id' });
    slug = entityId;
  } else {
    // A user's attributes belong to one bot: the named one, else the host's default bot.
    slug = botId ?? ctx.host.bots.defaultSlug();
  }
  const bot = ctx.host.bots.get(slug);
  const param = entityType === 'bot' ? 'entity_id' : 'bot_id';
  if (!bot) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${slug}' does not exist`, { param });
  if (!bot.requires_memory) throw createError('LLMB_ERR_INVALID_REQUEST', `The bot '${slug}' keeps no memory (requires_memory: false)`, { param });
  return { botId: slug, entityType, entityId };
}

const view = (a: ProfileAttribute) => ({
  id: a.id,
  category: a.category,
  key: a.key,
  value: a.value,
  confidence: a.confidence,
  source: a.source,
  source_message_id: a.sourceMessageId,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
});

const PATH = '/v1/profiles/:entity_type/:entity_id';

/** GET: every attribute of a user (as one bot knows them) or of a bot. @public */
export const getProfileRoute = defineRoute({
  method: 'GET',
  path: PATH,
  summary: "A user's (per bot) or a bot's profile attributes",
  query: v.object({
    bot_id: botIdParam,
    category: v.optional(v.picklist(PROFILE_CATEGORIES)),
  }),
  async handle({ params, query }, ctx) {
    const entity = entityOf(params, query.bot_id, ctx);
    const attributes = await ctx.get(profileRef).list(entity, query.category ? { category: query.category } : {});
    return { object: 'profile', entity_type: entity.entityType, entity_id: entity.entityId, bot_id: entity.botId, attributes: attributes.map(view) };
  },
});

/** PUT: creates or replaces one attribute (201 when new). @public */
export const putAttributeRoute = defineRoute({
  method: 'PUT',
  path: PATH,
  summary: 'Create or replace one profile attribute',
  query: v.object({ bot_id: botIdParam }),
  body: v.object({
    category: v.picklist(PROFILE_CATEGORIES),
    key: keyParam,
    value: v.pipe(
      v.union([v.string(), v.number(), v.boolean(), v.array(v.unknown()), v.record(v.string(), v.unknown())]),
      v.check((value) => JSON.stringify(value).length <= 4000, 'must be at most 4000 characters as JSON'),
    ),
    confidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 1),
    source: v.optional(v.picklist(['explicit', 'inferred', 'system']), 'explicit'),
  }),
  async handle({ params, query, body }, ctx) {
    const entity = entityOf(params, query.bot_id, ctx);
    const result = await ctx.get(profileRef).set(entity, body);
    return reply(result.created ? 201 : 200, { ...view(result.attribute), changed: result.changed });
  },
});

/** DELETE: removes one attribute, named by category and key. @public */
export const deleteAttributeRoute = defineRoute({
  method: 'DELETE',
  path: PATH,
  summary: 'Delete one profile attribute',
  query: v.object({
    bot_id: botIdParam,
    category: v.picklist(PROFILE_CATEGORIES),
    key: keyParam,
  }),
  async handle({ params, query }, ctx) {
    const entity = entityOf(params, query.bot_id, ctx);
    const deleted = await ctx.get(profileRef).delete(entity, { category: query.category, key: query.key });
    if (deleted === 0) throw createError('LLMB_ERR_NOT_FOUND', `no attribute ${query.category}/${normalizeKey(query.key)}`, { param: 'key' });
    return reply(204);
  },
});

/** Every profile route. @public */
export const profileRoutes = [getProfileRoute, putAttributeRoute, deleteAttributeRoute];
