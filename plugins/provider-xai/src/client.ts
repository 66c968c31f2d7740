import { createError, createNodeFetch, sdkClientOptions, type ModelSpec, type ProviderClient, type ProviderEnv } from '@llm-bawt/sdk';
import OpenAI from 'openai';
import { relayEvents, responseEvents } from './events.js';
import { buildBody } from './request.js';
import { toUpstreamError, type UpstreamLabel } from './upstream-error.js';

/** One keep-alive connection pool for every client of this provider. */
const nodeFetch = createNodeFetch();

export const XAI_BASE_URL = 'https://api.x.ai/v1';

/** The key for an alias, or undefined when it is missing. */
export function apiKeyFor(model: ModelSpec, env: ProviderEnv['env']): string | undefined {
  return env[model.api_key_env ?? 'XAI_API_KEY'] || undefined;
}

/** A Responses API client for one Grok alias. */
export function createResponsesClient(model: ModelSpec, { env, logger }: ProviderEnv): ProviderClient {
  const apiKey = apiKeyFor(model, env);
  if (apiKey === undefined) {
    throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `xai (alias ${model.alias}): no API key`);
  }
  const sdk = new OpenAI({ ...sdkClientOptions(model, { apiKey, fetch: nodeFetch, logger }), baseURL: model.base_url ?? XAI_BASE_URL });
  const label: UpstreamLabel = { provider: 'xai', alias: model.alias, secret: apiKey };
  const vision = model.options?.['vision'];
  return {
    capabilities: {
      nativeTools: model.tool_support !== 'react' && model.tool_support !== 'none',
      vision: typeof vision === 'boolean' ? vision : /grok-4|vision/i.test(model.model),
      reasoning: true,
    },
    async *generate(request, { signal, stream }) {
      const body = buildBody(request);
      try {
        if (stream) {
          yield* relayEvents(await sdk.responses.create({ ...body, stream: true }, { signal }), signal, label);
        } else {
          yield* responseEvents(await sdk.responses.create(body, { signal }));
        }
      } catch (error) {
        throw toUpstreamError(error, label, signal);
      }
    },
  };
}
