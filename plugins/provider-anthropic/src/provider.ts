import { createError, defineProvider, type ModelSpec, type ProviderDefinition, type ProviderEnv } from '@llm-bawt/sdk';
import { apiKeyFor, createMessagesClient } from './client.js';

type Check = ReturnType<ProviderDefinition['check']>;

function check(model: ModelSpec, { env }: Pick<ProviderEnv, 'env'>): Check {
  if (apiKeyFor(model, env) !== undefined) return { usable: true };
  const name = model.api_key_env ?? 'ANTHROPIC_API_KEY';
  return {
    usable: false,
    reason: `${name} is not set (alias ${model.alias})`,
    hint: `set ${name} in the environment, or name another variable with api_key_env for alias ${model.alias} in models.yaml`,
  };
}

/** Anthropic's Messages API, mapped to and from the OpenAI shape. @public */
export const anthropicProvider = defineProvider({
  id: 'anthropic',
  kinds: ['anthropic'],
  check,
  create(model, env) {
    const verdict = check(model, env);
    if (!verdict.usable) throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `${verdict.reason}; ${verdict.hint}`);
    return createMessagesClient(model, env);
  },
});
