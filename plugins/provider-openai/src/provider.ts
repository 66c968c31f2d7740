import { createError, defineProvider, type ModelSpec, type ProviderDefinition, type ProviderEnv } from '@llm-bawt/sdk';
import { apiKeyFor, createChatClient } from './client.js';

type Check = ReturnType<ProviderDefinition['check']>;

function check(model: ModelSpec, { env }: Pick<ProviderEnv, 'env'>): Check {
  if (model.provider === 'openai-compatible' && !model.base_url) {
    return {
      usable: false,
      reason: `alias ${model.alias} is openai-compatible but has no base_url`,
      hint: `add base_url (e.g. http://localhost:11434/v1) to alias ${model.alias} in models.yaml`,
    };
  }
  if (apiKeyFor(model, env) === undefined) {
    const name = model.api_key_env ?? 'OPENAI_API_KEY';
    return {
      usable: false,
      reason: `${name} is not set (alias ${model.alias})`,
      hint: `set ${name} in the environment, or name another variable with api_key_env for alias ${model.alias} in models.yaml`,
    };
  }
  return { usable: true };
}

/** OpenAI chat completions, and any server that speaks them (vLLM, llama.cpp, Ollama, LM Studio). @public */
export const openaiProvider = defineProvider({
  id: 'openai',
  kinds: ['openai', 'openai-compatible'],
  check,
  create(model, env) {
    const verdict = check(model, env);
    if (!verdict.usable) throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `${verdict.reason}; ${verdict.hint}`);
    return createChatClient(model, env);
  },
});
