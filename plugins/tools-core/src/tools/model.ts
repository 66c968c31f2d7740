import * as v from 'valibot';
import { coreRefs, defineTool } from '@llm-bawt/sdk';

/** The model answering this turn, or the configured aliases and whether each is usable. @public */
export const modelTool = defineTool({
  name: 'model',
  description: 'Shows the model you are running on ("current") or lists the configured model aliases and whether each is available ("list").',
  input: v.object({
    action: v.optional(v.picklist(['current', 'list', 'switch']), 'current'),
    model_name: v.optional(v.string()),
  }),
  annotations: { readOnlyHint: true },
  run({ action }, ctx) {
    const models = ctx.get(coreRefs.models);
    const current = ctx.turn?.model?.alias ?? ctx.bot.default_model ?? models.defaultAlias();
    if (action === 'switch') {
      throw new Error('switching models is not possible from a tool: the client picks the model per request (the "model" field), or the bot\'s default_model applies');
    }
    if (action === 'current') {
      const spec = current === undefined ? undefined : models.get(current);
      if (!spec) return { current: current ?? null };
      return {
        alias: spec.alias,
        provider: spec.provider,
        model: spec.model,
        ...(spec.context_window !== undefined ? { context_window: spec.context_window } : {}),
        tool_support: spec.tool_support ?? 'native',
      };
    }
    return {
      current: current ?? null,
      models: models.list().map((spec) => {
        const availability = models.availability(spec.alias);
        return {
          alias: spec.alias,
          provider: spec.provider,
          model: spec.model,
          available: availability.usable,
          ...(availability.usable ? {} : { reason: availability.reason }),
        };
      }),
    };
  },
});
