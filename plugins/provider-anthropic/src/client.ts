import Anthropic from '@anthropic-ai/sdk';
import { createError, createNodeFetch, sdkClientOptions, type ModelSpec, type ProviderClient, type ProviderEnv } from '@llm-bawt/sdk';
import { messageEvents, relayEvents } from './events.js';
import { buildBody } from './request.js';
import { toUpstreamError, type UpstreamLabel } from './upstream-error.js';

/** One keep-alive connection pool for every client of this provider. */
const nodeFetch = createNodeFetch();

/** The key for an alias, or undefined when it is missing. */
export function apiKeyFor(model: ModelSpec, env: ProviderEnv['env']): string | undefined {
  return env[model.api_key_env ?? 'ANTHROPIC_API_KEY'] || undefined;
}

/** A Messages API client for one alias. */
export function createMessagesClient(model: ModelSpec, { env, logger }: ProviderEnv): ProviderClient {
  const apiKey = apiKeyFor(model, env);
  if (apiKey === undefined) {
    throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `anthropic (alias ${model.alias}): no API key`);
  }
  const sdk = new Anthropic({
    ...sdkClientOptions(model, { apiKey, fetch: nodeFetch, logger }),
    // Passed only when given: `undefined` keeps the SDK default.
    ...(model.base_url ? { baseURL: model.base_url } : {}),
  });
  const label: UpstreamLabel = { provider: 'anthropic', alias: model.alias, secret: apiKey };
  return {
    capabilities: {
      nativeTools: model.tool_support !== 'react' && model.tool_support !== 'none',
      vision: true,
      reasoning: true,
    },
    async *generate(request, { signal, stream }) {
      const body = buildBody(request);
      try {
        if (stream) {
          yield* relayEvents(await sdk.messages.create({ ...body, stream: true }, { signal }), signal, label);
        } else {
          yield* messageEvents(await sdk.messages.create(body, { signal }));
        }
      } catch (error) {
        throw toUpstreamError(error, label, signal);
      }
    },
  };
}
