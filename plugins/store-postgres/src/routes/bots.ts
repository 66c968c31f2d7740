import type * as v from 'valibot';
import { defineRoute, reply } from '@llm-bawt/sdk';
import { storeAdminRef } from '../admin/admin.js';
import type { BotInput, BotPatch } from '../repos/bots.js';
import { botJson, listJson } from './json.js';
import { botCreateBody, botPatchBody, botReplaceBody, pageQuery } from './schemas.js';

type ReplaceBody = v.InferOutput<typeof botReplaceBody>;

/** A bots.yaml-style body as the repository takes it: `color` goes into settings, nulls mean "not set". */
function toInput(body: ReplaceBody): Omit<BotInput, 'slug'> {
  const { color, description, agent_backend, agent_backend_config, default_model, settings, ...rest } = body;
  return {
    ...rest,
    ...(description != null ? { description } : {}),
    ...(agent_backend != null ? { agent_backend } : {}),
    ...(agent_backend_config != null ? { agent_backend_config } : {}),
    ...(default_model != null ? { default_model } : {}),
    settings: { ...settings, ...(color !== undefined ? { color } : {}) },
  };
}

function toPatch(body: v.InferOutput<typeof botPatchBody>): BotPatch {
  const { color, settings, ...rest } = body;
  if (color === undefined) return settings === undefined ? rest : { ...rest, settings };
  return { ...rest, settings: { ...settings, color } };
}

const profile = defineRoute({
  method: 'GET',
  path: '/v1/bots/:slug/profile',
  summary: 'One bot as stored',
  handle: async ({ params }, ctx) => botJson(await ctx.get(storeAdminRef).bots.get(params.slug as string)),
});

const remove = (path: string) =>
  defineRoute({
    method: 'DELETE',
    path,
    summary: 'Delete a bot (not the default bot, not the last one); it stops serving at once',
    handle: async ({ params }, ctx) => {
      await ctx.get(storeAdminRef).bots.delete(params.slug as string);
      return reply(204);
    },
  });

/** `/v1/bots`: the bots table, kept in step with the running host. */
export const botRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/bots',
    summary: 'List the bots, by slug',
    query: pageQuery,
    handle: async ({ query }, ctx) => listJson(await ctx.get(storeAdminRef).bots.list(query), botJson),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/bots',
    summary: 'Create a bot (a bots.yaml entry plus its slug); it serves at once',
    body: botCreateBody,
    handle: async ({ body }, ctx) => {
      const { slug, ...fields } = body;
      return reply(201, botJson(await ctx.get(storeAdminRef).bots.create({ slug, ...toInput(fields) })));
    },
  }),
  defineRoute({ ...profile, path: '/v1/bots/:slug', summary: 'One bot' }),
  profile,
  defineRoute({
    method: 'PUT',
    path: '/v1/bots/:slug/profile',
    summary: "Replace a bot's editable fields (those left out go back to their defaults)",
    body: botReplaceBody,
    handle: async ({ params, body }, ctx) => botJson(await ctx.get(storeAdminRef).bots.replace(params.slug as string, toInput(body))),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/bots/:slug/profile',
    summary: 'Change some fields of a bot; settings and plugins merge key by key, null clears',
    body: botPatchBody,
    handle: async ({ params, body }, ctx) => botJson(await ctx.get(storeAdminRef).bots.patch(params.slug as string, toPatch(body))),
  }),
  remove('/v1/bots/:slug'),
  remove('/v1/bots/:slug/profile'),
];
