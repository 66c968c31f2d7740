import { createError, createNodeFetch, sdkClientOptions, type ModelSpec, type ProviderClient, type ProviderEnv } from '@llm-bawt/sdk';
import OpenAI from 'openai';
import { completionEvents, relayChunks } from './events.js';
import { buildBody, looksLikeReasoningModel } from './request.js';
import { toUpstreamError, type UpstreamLabel } from './upstream-error.js';

/** One keep-alive connection pool for every client of this provider. */
const nodeFetch = createNodeFetch();

/** Local servers (Ollama, llama.cpp, LM Studio) need no key, but the SDK insists on one. */
const PLACEHOLDER_KEY = 'no-key';

/**
 * The key for an alias, or undefined when it is missing. An openai-compatible alias reads
 * only its own `api_key_env`: an OpenAI key is never sent to some other server.
 */
export function apiKeyFor(model: ModelSpec, env: ProviderEnv['env']): string | undefined {
  if (model.provider === 'openai-compatible') return model.api_key_env ? env[model.api_key_env] || undefined : PLACEHOLDER_KEY;
  return env[model.api_key_env ?? 'OPENAI_API_KEY'] || undefined;
}

/** A chat-completions client for one alias. */
export function createChatClient(model: ModelSpec, { env, logger }: ProviderEnv): ProviderClient {
  const apiKey = apiKeyFor(model, env);
  if (apiKey === undefined) {
    throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `${model.provider} (alias ${model.alias}): no API key`);
  }
  const sdk = new OpenAI({
    ...sdkClientOptions(model, { apiKey, fetch: nodeFetch, logger }),
    // `undefined` keeps the SDK default (api.openai.com) for kind openai.
    baseURL: model.base_url,
  });
  const label: UpstreamLabel = { provider: model.provider, alias: model.alias, secret: apiKey };
  return {
    capabilities: {
      nativeTools: model.tool_support !== 'react' && model.tool_support !== 'none',
      vision: model.provider === 'openai' || model.options?.['vision'] === true,
      reasoning: looksLikeReasoningModel(model),
    },
    async *generate(request, { signal, stream }) {
      const body = buildBody(request);
      try {
        if (stream) {
          const chunks = await sdk.chat.completions.create(
            { ...body, stream: true, stream_options: { include_usage: true } },
            { signal },
          );
          yield* relayChunks(chunks, signal);
        } else {
          yield* completionEvents(await sdk.chat.completions.create(body, { signal }));
        }
      } catch (error) {
        throw toUpstreamError(error, label, signal);
      }
    },
  };
}
