import * as v from 'valibot';
import { createError, type ToolContext } from '@llm-bawt/sdk';
import { profileRef, type ProfileAttributeView, type ProfileEntityView } from '../services.js';
import { DESTROY, describe, fraction, int, mcpTool, READ, text, uuid } from './define.js';

const opts = { memory: true };
const CATEGORIES = ['fact', 'preference', 'personality', 'interest', 'context', 'communication'] as const;
const entityType = v.optional(describe(v.picklist(['user', 'bot']), 'user: the user as this bot knows them (default); bot: the bot\'s own traits'), 'user');
const value = v.union([v.string(), v.number(), v.boolean(), v.array(v.union([v.string(), v.number()]))], 'must be a string, number, boolean or array of strings and numbers');

const attributeJson = (a: ProfileAttributeView) => ({ id: a.id, category: a.category, key: a.key, value: a.value, confidence: a.confidence, source: a.source, updated_at: a.updatedAt });

function entityOf(ctx: ToolContext, type: 'user' | 'bot'): ProfileEntityView {
  return type === 'user' ? { botId: ctx.bot.slug, entityType: 'user', entityId: ctx.userId } : { botId: ctx.bot.slug, entityType: 'bot', entityId: ctx.bot.slug };
}

function selectorOf(input: { attribute_id?: string | undefined; key?: string | undefined; category?: string | undefined }) {
  if (input.attribute_id) return { id: input.attribute_id };
  if (input.key) return { key: input.key, ...(input.category ? { category: input.category } : {}) };
  throw createError('LLMB_ERR_INVALID_REQUEST', 'name the attribute with attribute_id or key', { param: 'key' });
}

/** The error for an attribute that `pick` names and the entity does not have. */
const notFound = (input: { entity_type: 'user' | 'bot'; attribute_id?: string | undefined }) =>
  createError('LLMB_ERR_NOT_FOUND', `no such ${input.entity_type} attribute`, { param: input.attribute_id ? 'attribute_id' : 'key' });

const pick = { entity_type: entityType, attribute_id: v.optional(uuid), key: v.optional(text(64)), category: v.optional(v.picklist(CATEGORIES)) };

export const profileTools = [
  mcpTool(
    'profile',
    [profileRef],
    {
      name: 'profile_list',
      description: "Lists profile attributes: the user's as this bot knows them, or the bot's own traits (entity_type: bot).",
      input: v.object({ entity_type: entityType, category: v.optional(v.picklist(CATEGORIES)), query: v.optional(text(200)), min_confidence: v.optional(fraction), limit: v.optional(int(1, 500), 100) }),
      annotations: READ,
      async run(input, ctx) {
        const list = await ctx.get(profileRef).list(entityOf(ctx, input.entity_type), {
          limit: input.limit,
          ...(input.category ? { category: input.category } : {}),
          ...(input.query ? { query: input.query } : {}),
          ...(input.min_confidence !== undefined ? { minConfidence: input.min_confidence } : {}),
        });
        return { entity_type: input.entity_type, count: list.length, attributes: list.map(attributeJson) };
      },
    },
    opts,
  ),
  mcpTool(
    'profile',
    [profileRef],
    {
      name: 'profile_get',
      description: 'One profile attribute, by attribute_id or by key (and category).',
      input: v.object(pick),
      annotations: READ,
      async run(input, ctx) {
        const found = await ctx.get(profileRef).get(entityOf(ctx, input.entity_type), selectorOf(input));
        if (!found) throw notFound(input);
        return attributeJson(found);
      },
    },
    opts,
  ),
  mcpTool(
    'profile',
    [profileRef],
    {
      name: 'profile_set',
      description: 'Creates or replaces a profile attribute (category + key). Explicit values win over inferred ones.',
      input: v.object({
        entity_type: entityType,
        category: v.picklist(CATEGORIES),
        key: describe(text(64), 'A short name such as favorite_food (normalized to snake_case)'),
        value,
        confidence: v.optional(fraction, 0.9),
        source: v.optional(v.picklist(['explicit', 'inferred', 'system']), 'explicit'),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      async run(input, ctx) {
        const result = await ctx.get(profileRef).set(entityOf(ctx, input.entity_type), { category: input.category, key: input.key, value: input.value, confidence: input.confidence, source: input.source });
        return { created: result.created, changed: result.changed, attribute: attributeJson(result.attribute) };
      },
    },
    opts,
  ),
  mcpTool(
    'profile',
    [profileRef],
    {
      name: 'profile_delete',
      description: 'Deletes a profile attribute by attribute_id, or by key (every category unless one is named).',
      input: v.object(pick),
      annotations: DESTROY,
      async run(input, ctx) {
        const deleted = await ctx.get(profileRef).delete(entityOf(ctx, input.entity_type), selectorOf(input));
        if (deleted === 0) throw notFound(input);
        return { deleted };
      },
    },
    opts,
  ),
];
