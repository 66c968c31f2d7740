import type { ModelSpec } from '../config-types.js';
import type { ProviderClient, ProviderDefinition, ProviderEnv, ProviderRequest } from '../contributions.js';
import { isLlmbError, type LlmbError } from '../errors.js';
import type { TurnEvent } from '../messages.js';
import { createScriptedUpstream } from './upstream/server.js';
import type { ScriptedUpstream, UpstreamFormat } from './upstream/types.js';

/** Options of {@link createProviderTest}. @public */
export interface ProviderTestOptions {
  provider: ProviderDefinition;
  /** The wire format the provider speaks: picks the scripted upstream's base URL. */
  format: UpstreamFormat;
  /** The alias `spec()` returns; `base_url` defaults to the scripted upstream's. */
  model: ModelSpec;
  /** What `client()` passes to `provider.create`: the key variables and a logger. */
  env: ProviderEnv;
}

/** A provider pointed at a scripted upstream, with helpers to call it. @public */
export interface ProviderTest {
  /** The scripted upstream; close it when the tests are done. */
  upstream: ScriptedUpstream;
  /** The alias, with overrides. */
  spec(overrides?: Partial<ModelSpec>): ModelSpec;
  /** A request saying 'Hello' to `spec()`, with overrides. */
  request(overrides?: Partial<ProviderRequest>): ProviderRequest;
  /** A client from `provider.create`. */
  client(model?: ModelSpec): ProviderClient;
  /** Every event one generation yields. */
  collect(stream: boolean, request?: ProviderRequest, signal?: AbortSignal): Promise<TurnEvent[]>;
  /** The coded error one generation fails with; throws if it succeeds or fails uncoded. */
  failure(stream: boolean, request?: ProviderRequest): Promise<LlmbError>;
}

/**
 * Starts a scripted upstream and calls a provider definition against it directly, without a
 * host, for unit tests of a provider plugin: wire mapping, events, errors and cancellation.
 * @public
 */
export async function createProviderTest(options: ProviderTestOptions): Promise<ProviderTest> {
  const { provider, env } = options;
  const upstream = await createScriptedUpstream();
  const baseUrls: Record<UpstreamFormat, string> = {
    openai: upstream.openaiBaseUrl,
    anthropic: upstream.anthropicBaseUrl,
    xai: upstream.xaiBaseUrl,
  };
  const spec = (overrides: Partial<ModelSpec> = {}): ModelSpec => ({ base_url: baseUrls[options.format], ...options.model, ...overrides });
  const request = (overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
    model: spec(),
    messages: [{ role: 'user', content: 'Hello' }],
    tools: [],
    params: {},
    ...overrides,
  });
  const client = (model: ModelSpec = spec()): ProviderClient => provider.create(model, env);
  const collect = async (stream: boolean, req = request(), signal = new AbortController().signal): Promise<TurnEvent[]> => {
    const events: TurnEvent[] = [];
    for await (const event of client(req.model).generate(req, { signal, stream })) events.push(event);
    return events;
  };
  const failure = async (stream: boolean, req = request()): Promise<LlmbError> => {
    const error = await collect(stream, req).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isLlmbError(error)) throw new Error(`expected a coded error, got ${String(error)}`);
    return error;
  };
  return { upstream, spec, request, client, collect, failure };
}

/** The events of one type, typed as that type. @public */
export function eventsOfType<T extends TurnEvent['type']>(events: TurnEvent[], type: T): Extract<TurnEvent, { type: T }>[] {
  return events.filter((event): event is Extract<TurnEvent, { type: T }> => event.type === type);
}

/** Tool calls as a consumer reassembles them from `tool_call_delta` events. @public */
export function reassembleToolCalls(events: TurnEvent[]): { id?: string; name?: string; arguments: string }[] {
  const calls: { id?: string; name?: string; arguments: string }[] = [];
  for (const delta of eventsOfType(events, 'tool_call_delta')) {
    const call = (calls[delta.index] ??= { arguments: '' });
    if (delta.id) call.id = delta.id;
    if (delta.name) call.name = delta.name;
    call.arguments += delta.arguments ?? '';
  }
  return calls;
}
