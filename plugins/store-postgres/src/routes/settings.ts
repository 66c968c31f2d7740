import * as v from 'valibot';
import { createError, defineRoute, reply } from '@llm-bawt/sdk';
import { storeAdminRef } from '../admin/admin.js';
import type { SettingScope } from '../repos/settings.js';
import { listJson, settingJson } from './json.js';
import { settingBody, settingKeySchema, settingScopeQuery, settingsListQuery } from './schemas.js';

/** `scope` and `bot_id` as one scope: `bot_id` alone means that bot; neither means global. */
function scopeOf(input: { scope?: 'global' | 'bot' | undefined; bot_id?: string | undefined }): SettingScope {
  if (input.scope === 'global' && input.bot_id !== undefined) {
    throw createError('LLMB_ERR_INVALID_REQUEST', "bot_id goes with scope 'bot' only", { param: 'bot_id' });
  }
  if (input.bot_id !== undefined) return { type: 'bot', id: input.bot_id };
  if (input.scope === 'bot') throw createError('LLMB_ERR_INVALID_REQUEST', "scope 'bot' needs a bot_id", { param: 'bot_id' });
  return { type: 'global' };
}

/** The `:key` path parameter, checked like a body field. */
function keyOf(raw: string | undefined): string {
  const parsed = v.safeParse(settingKeySchema, raw ?? '');
  if (!parsed.success) throw createError('LLMB_ERR_INVALID_REQUEST', `Invalid setting key: ${parsed.issues[0]?.message ?? 'not a key'}`, { param: 'key' });
  return parsed.output;
}

/** `/v1/settings`: runtime settings (request -> bot row -> bot's own settings -> global row -> config). */
export const settingRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/settings',
    summary: 'List runtime settings: ?scope=global, ?scope=bot (every bot), ?bot_id=SLUG, or all',
    query: settingsListQuery,
    handle: async ({ query }, ctx) => {
      const { scope, bot_id, limit, cursor } = query;
      if (scope === 'global' && bot_id !== undefined) scopeOf(query);
      const admin = ctx.get(storeAdminRef);
      const page = await admin.settings.list({
        ...(scope ? { scopeType: scope } : {}),
        ...(bot_id === undefined ? {} : { botId: bot_id }),
        ...(limit === undefined ? {} : { limit }),
        ...(cursor === undefined ? {} : { cursor }),
      });
      return listJson(page, settingJson);
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/settings/:key',
    summary: 'Set a runtime setting (global, or for one bot); the next turn uses it',
    body: settingBody,
    handle: async ({ params, body }, ctx) => {
      const key = keyOf(params.key);
      return settingJson(await ctx.get(storeAdminRef).settings.set(scopeOf(body), key, body.value));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/settings/:key',
    summary: 'Remove a runtime setting (?scope=global or ?bot_id=SLUG); the next source in line answers again',
    query: settingScopeQuery,
    handle: async ({ params, query }, ctx) => {
      const key = keyOf(params.key);
      await ctx.get(storeAdminRef).settings.delete(scopeOf(query), key);
      return reply(204);
    },
  }),
];
