import { createError, type BotConfig, type LlmCaller, type Logger, type TurnContext, type TurnRequest } from '@llm-bawt/sdk';
import type { ConfiguredModelRegistry } from '../models-registry.js';
import { executeWithProviders } from './provider-executor.js';

/** Background model calls through the same providers and resilience policy as turns. */
export function createLlmCaller(models: ConfiguredModelRegistry, globalSettings: Readonly<Record<string, unknown>>, logger: Logger): LlmCaller {
  const modelFor = (bot?: BotConfig): string | undefined => {
    const wanted = [bot?.settings.background_model, bot?.default_model, models.defaultAlias()].filter((a): a is string => typeof a === 'string' && a !== '');
    return wanted.find((alias) => models.availability(alias).usable);
  };
  return {
    modelFor,
    async complete(input) {
      const alias = input.model ?? modelFor(input.bot);
      if (!alias) throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', 'no usable model for background work: configure a provider or set background_model');
      const spec = models.get(alias);
      if (!spec) throw createError('LLMB_ERR_UNKNOWN_MODEL', `The model '${alias}' does not exist`, { param: 'model' });
      const bot = input.bot;
      const signal = input.signal ?? new AbortController().signal;
      // A minimal turn context: settings resolve bot -> global, never streaming.
      const ctx = {
        signal,
        logger,
        request: { stream: false, settings: {} } as unknown as TurnRequest,
        setting: <T>(key: string, fallback: T): T => (bot?.settings[key] ?? globalSettings[key] ?? fallback) as T,
      } as unknown as TurnContext;
      let text = '';
      let usage;
      for await (const event of executeWithProviders(models, { model: spec, messages: input.messages, tools: [], params: input.params ?? {} }, ctx)) {
        if (event.type === 'text') text += event.text;
        else if (event.type === 'usage') usage = event.usage;
      }
      return { text, model: alias, ...(usage ? { usage } : {}) };
    },
  };
}
