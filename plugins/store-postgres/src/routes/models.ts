import * as v from 'valibot';
import { coreRefs, createError, defineRoute, reply, type ModelSpec } from '@llm-bawt/sdk';
import { storeAdminRef } from '../admin/admin.js';
import { listJson, modelDefinitionJson } from './json.js';
import { aliasSchema, modelDefinitionBody, pageQuery } from './schemas.js';

function aliasOf(raw: string | undefined): string {
  const parsed = v.safeParse(aliasSchema, raw ?? '');
  if (!parsed.success) throw createError('LLMB_ERR_INVALID_REQUEST', `Invalid alias: ${parsed.issues[0]?.message ?? 'not an alias'}`, { param: 'alias' });
  return parsed.output;
}

/** `/v1/model-definitions`: the `model_definitions` rows that override models.yaml. */
export const modelRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/model-definitions',
    summary: 'List the model definitions stored in the database, by alias',
    query: pageQuery,
    handle: async ({ query }, ctx) => {
      const models = ctx.get(coreRefs.models);
      return listJson(await ctx.get(storeAdminRef).models.list(query), (spec) => modelDefinitionJson(spec, models.availability(spec.alias)));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/model-definitions/:alias',
    summary: 'One stored model definition',
    handle: async ({ params }, ctx) => {
      const spec = await ctx.get(storeAdminRef).models.get(aliasOf(params.alias));
      return modelDefinitionJson(spec, ctx.get(coreRefs.models).availability(spec.alias));
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/model-definitions/:alias',
    summary: 'Create or replace a model alias (a models.yaml entry); usable at once',
    body: modelDefinitionBody,
    handle: async ({ params, body }, ctx) => {
      const { description: _description, ...fields } = body;
      const spec: ModelSpec = { alias: aliasOf(params.alias), ...fields };
      const { spec: stored, created } = await ctx.get(storeAdminRef).models.put(spec);
      const json = modelDefinitionJson(stored, ctx.get(coreRefs.models).availability(stored.alias));
      return created ? reply(201, json) : json;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/model-definitions/:alias',
    summary: "Delete a stored model alias (one models.yaml also defines goes back to the file's definition)",
    handle: async ({ params }, ctx) => {
      await ctx.get(storeAdminRef).models.delete(aliasOf(params.alias));
      return reply(204);
    },
  }),
];
