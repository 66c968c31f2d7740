import { coreRefs, definePlugin, type AdapterDefinition, type Assembly, type TurnContext } from '@llm-bawt/sdk';
import { ADAPTERS } from './adapters.js';
import { detectAdapter } from './detect.js';

function explicitAdapter(ctx: TurnContext): string | undefined {
  const value = ctx.request.settings.adapter ?? ctx.bot.settings.adapter;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Picks the turn's adapter when neither the request nor the bot names one: the model's
 * `options.adapter`, else a global `adapter` setting, else detection from the model's names.
 * The choice goes into the request's settings, where the host reads it for the EXECUTE
 * stage, and the adapter's stop sequences go into the assembly.
 */
function chooseAdapter(assembly: Assembly, ctx: TurnContext): Assembly | undefined {
  if (explicitAdapter(ctx) !== undefined || assembly.model.provider === 'agent') return undefined;
  const fromModel = typeof assembly.model.options?.adapter === 'string' ? assembly.model.options.adapter : undefined;
  const global = ctx.setting<unknown>('adapter', undefined);
  if (fromModel === undefined && typeof global === 'string' && global !== '') return undefined;
  const id = fromModel ?? detectAdapter(assembly.model);
  const known = new Map<string, AdapterDefinition>(ctx.get(coreRefs.contributions).adapters.map(({ value }) => [value.id, value]));
  const adapter = known.get(id);
  if (!adapter) {
    ctx.logger.warn(`model '${assembly.model.alias}' names adapter '${id}', but no loaded plugin provides it`);
    return undefined;
  }
  ctx.request.settings = { ...ctx.request.settings, adapter: id };
  ctx.note('adapter', id);
  // Stops the host already added for a global adapter this model overrides are taken back out.
  const replaced = typeof global === 'string' ? new Set(known.get(global)?.stop ?? []) : new Set<string>();
  const stop = [...(assembly.params.stop ?? []).filter((s) => !replaced.has(s)), ...(adapter.stop ?? [])];
  if (stop.length === 0 && assembly.params.stop === undefined) return undefined;
  return { ...assembly, params: { ...assembly.params, stop: [...new Set(stop)] } };
}

/** Output adapters (default, pygmalion, dolphin) and per-turn adapter detection. @public */
export const adaptersPlugin = definePlugin({
  id: 'adapters',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Output adapters that clean model quirks: default, pygmalion, dolphin',
  contributes: { adapters: [...ADAPTERS] },
  hooks: { MESSAGE_ASSEMBLY: chooseAdapter },
});

export default adaptersPlugin;
