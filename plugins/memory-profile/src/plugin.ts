import { definePlugin, PROMPT_POSITION, type PromptBuilder, type TurnContext } from '@llm-bawt/sdk';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { memoryProfileConfigSchema, type MemoryProfileConfig } from './config.js';
import { profileRef } from './refs.js';
import { renderSection, SECTION_TITLES } from './render.js';
import { profileRoutes } from './routes.js';
import { ProfileAttributeEntity, profileMigrations } from './schema.js';
import { createProfileService } from './service.js';
import { profileTool, selfTool } from './tools.js';

/** Prompt section names (their positions come from PROMPT_POSITION). @public */
export const PROFILE_SECTIONS = { user: 'userProfile', traits: 'botTraits' } as const;

async function contextBuild(prompt: PromptBuilder, ctx: TurnContext & { config: MemoryProfileConfig }): Promise<void> {
  const { user, traits } = await ctx.get(profileRef).forTurn(ctx.bot.slug, ctx.request.userId, {
    limit: ctx.config.maxAttributes,
    minConfidence: ctx.config.minConfidence,
  });
  const about = renderSection(SECTION_TITLES.user, user);
  const developed = renderSection(SECTION_TITLES.traits, traits);
  if (about) prompt.set(PROFILE_SECTIONS.user, about, { position: PROMPT_POSITION.userProfile });
  if (developed) prompt.set(PROFILE_SECTIONS.traits, developed, { position: PROMPT_POSITION.botTraits });
  const brief = (a: (typeof user)[number]) => ({ id: a.id, category: a.category, key: a.key, value: a.value, confidence: a.confidence, source: a.source });
  ctx.note('memory-profile', { user: user.map(brief), traits: traits.map(brief) });
}

/**
 * Memory layer 4: user attributes (per bot and user) and each bot's developed traits, written
 * by the `profile` and `self` tools, the HTTP API and extraction hints (through `profileRef`),
 * and shown in the system prompt as "About the user" and "Your developed traits". @public
 */
export const memoryProfilePlugin = definePlugin({
  id: 'memory-profile',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'User and bot profile attributes: tools, HTTP API and prompt sections',
  requires: { store: storeRef },
  provides: [profileRef],
  config: memoryProfileConfigSchema,
  contributes: {
    entities: [ProfileAttributeEntity],
    migrations: profileMigrations,
    tools: [profileTool, selfTool],
    routes: profileRoutes,
  },
  hooks: {
    CONTEXT_BUILD: {
      // Only bots with memory, and only when this turn uses it.
      when: (ctx) => ctx.bot.requires_memory && ctx.decisions.use_memory,
      handler: contextBuild,
    },
  },
  setup(ctx) {
    ctx.provide(profileRef, () => createProfileService(ctx.deps.store));
  },
});

export default memoryProfilePlugin;
