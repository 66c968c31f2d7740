import * as v from 'valibot';
import { defineTool, type ToolContext } from '@llm-bawt/sdk';
import { profileRef } from './refs.js';
import { PROFILE_CATEGORIES, type ProfileCategory } from './schema.js';
import { botEntity, normalizeKey, userEntity, type ProfileAttribute, type ProfileEntity } from './service.js';

const attributeValue = v.union([
  v.string(),
  v.number(),
  v.boolean(),
  v.array(v.union([v.string(), v.number()])),
]);

function needMemory(ctx: ToolContext): void {
  if (!ctx.bot.requires_memory) throw new Error(`bot '${ctx.bot.slug}' keeps no memory (requires_memory: false)`);
}

/** What `profile` and `self` both take; `profile` adds `confidence` before `query`. */
const attributeFields = {
  action: v.picklist(['get', 'set', 'update', 'delete']),
  attribute_id: v.optional(v.pipe(v.string(), v.uuid())),
  category: v.optional(v.picklist(PROFILE_CATEGORIES)),
  key: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  value: v.optional(attributeValue),
};
const query = v.optional(v.pipe(v.string(), v.maxLength(200)));

const view = (a: ProfileAttribute) => ({ id: a.id, category: a.category, key: a.key, value: a.value, confidence: a.confidence, source: a.source, updated_at: a.updatedAt });

interface Args {
  action: 'get' | 'set' | 'update' | 'delete';
  attribute_id?: string | undefined;
  category?: ProfileCategory | undefined;
  key?: string | undefined;
  value?: unknown;
  confidence?: number | undefined;
  query?: string | undefined;
}

async function act(entity: ProfileEntity, input: Args, ctx: ToolContext, defaults: { category: ProfileCategory; confidence: number }) {
  const profiles = ctx.get(profileRef);
  const selector = input.attribute_id ? { id: input.attribute_id } : input.key ? { key: input.key, ...(input.category ? { category: input.category } : {}) } : undefined;
  switch (input.action) {
    case 'get': {
      if (selector) {
        const found = await profiles.get(entity, selector);
        return found ? view(found) : { found: false, message: 'no such attribute' };
      }
      const list = await profiles.list(entity, { ...(input.category ? { category: input.category } : {}), ...(input.query ? { query: input.query } : {}), limit: 100 });
      return { count: list.length, attributes: list.map(view) };
    }
    case 'set':
    case 'update': {
      let category = input.category;
      let key = input.key;
      if (input.attribute_id) {
        const existing = await profiles.get(entity, { id: input.attribute_id });
        if (!existing) throw new Error(`no attribute with id ${input.attribute_id}`);
        category ??= existing.category as ProfileCategory;
        key ??= existing.key;
      }
      if (!key || !normalizeKey(key)) throw new Error(`${input.action} needs a key (a short name such as "favorite_food")`);
      if (input.value === undefined || input.value === '') throw new Error(`${input.action} needs a value`);
      category ??= defaults.category;
      if (input.action === 'update' && !(await profiles.get(entity, { key, category }))) {
        throw new Error(`no attribute ${category}/${normalizeKey(key)} to update; use action "set" to create it`);
      }
      const result = await profiles.set(entity, { category, key, value: input.value, confidence: input.confidence ?? defaults.confidence, source: 'explicit' });
      return { [result.created ? 'created' : 'updated']: view(result.attribute) };
    }
    case 'delete': {
      if (!selector) throw new Error('delete needs attribute_id or key');
      const deleted = await profiles.delete(entity, selector);
      if (deleted === 0) throw new Error('no such attribute');
      return { deleted };
    }
  }
}

/** `profile`: what the bot knows about the user it talks to (reference §6.1). @public */
export const profileTool = defineTool({
  name: 'profile',
  description:
    "Reads or changes the user's profile: lasting attributes such as name, location, occupation, preferences. " +
    'Use "set" when the user tells you something durable about themselves, "get" to look attributes up, "delete" when they ask you to forget one.',
  input: v.object({ ...attributeFields, confidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0.8), query }),
  async run(input, ctx) {
    needMemory(ctx);
    return act(userEntity(ctx.bot.slug, ctx.userId), input, ctx, { category: 'fact', confidence: 0.8 });
  },
});

/** `self`: the bot's own developed traits, shared by everyone it talks to (reference §6.1). @public */
export const selfTool = defineTool({
  name: 'self',
  description:
    'Reads or changes your own developed traits (personality, tastes, habits you have grown into). ' +
    'They are yours and shown to every user you talk to: never store facts about a user here.',
  input: v.object({ ...attributeFields, query }),
  async run(input, ctx) {
    needMemory(ctx);
    return act(botEntity(ctx.bot.slug), input, ctx, { category: 'personality', confidence: 0.8 });
  },
});
