/** Options for {@link createScriptedUpstream}. */
export interface ScriptedUpstreamOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; defaults to '127.0.0.1'. */
  host?: string;
}

/** A scripted LLM provider: a real HTTP server speaking the OpenAI, Anthropic and xAI wire formats. */
export interface ScriptedUpstream {
  /** Base URL of the server, e.g. 'http://127.0.0.1:PORT'. */
  readonly url: string;
  /** `url + '/v1'`: POST /v1/chat/completions, GET /v1/models. */
  readonly openaiBaseUrl: string;
  /** `url`: the Anthropic SDK appends /v1/messages itself. */
  readonly anthropicBaseUrl: string;
  /** `url + '/v1'`: POST /v1/responses. */
  readonly xaiBaseUrl: string;
  /** Queue replies; each completion request consumes the next step, in order. */
  script(...steps: ScriptStep[]): void;
  /** The reply used when the queue is empty (initially: text 'ok', usage {prompt_tokens: 5, completion_tokens: 1}). */
  setDefault(step: ScriptStep): void;
  /** Every request received, in arrival order, recorded before it is answered. */
  readonly requests: RecordedRequest[];
  /** Resolves when at least n requests (default: one more than now) have been received. */
  waitForRequest(n?: number, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves when the given request has finished, was aborted by the client, or was reset by a fault. */
  settled(request: RecordedRequest, timeoutMs?: number): Promise<void>;
  /** Clears the queue, the records and the default step. */
  reset(): void;
  /** Stops listening and destroys every open socket. */
  close(): Promise<void>;
}

/** Token usage in OpenAI terms: `prompt_tokens` includes cached and cache-creation tokens. */
export interface ScriptUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
  cache_creation_tokens?: number;
  reasoning_tokens?: number;
}

/** A scripted tool call; object arguments are sent as JSON. */
export interface ScriptToolCall {
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

/**
 * One scripted reply. A step without text, reasoning and toolCalls takes them (and its
 * finishReason) from the default step; missing usage, model and chunkDelayMs fall back too.
 */
export interface ScriptStep {
  /** An array is the exact stream chunks; a string is split into a few chunks when streaming. */
  text?: string | string[];
  /** OpenAI: delta.reasoning_content; Anthropic: a thinking block; xAI: a reasoning item's summary. */
  reasoning?: string | string[];
  toolCalls?: ScriptToolCall[];
  usage?: ScriptUsage;
  /** Defaults to 'tool_calls' when there are tool calls, else 'stop'. */
  finishReason?: 'stop' | 'length' | 'tool_calls';
  /** Defaults to the model named in the request. */
  model?: string;
  /** Pause between streamed chunks (default 0). */
  chunkDelayMs?: number;
  fault?: Fault;
}

/**
 * A failure to inject. "Chunks" are SSE events as written on the wire (for a non-streaming
 * request, any afterChunks > 0 means "the first half of the JSON body").
 */
export type Fault =
  /** Answer with this status; retryAfter (seconds) sets Retry-After; body defaults to the provider's error JSON. */
  | { kind: 'status'; status: number; retryAfter?: number; body?: unknown }
  /** Wait before the first byte (headers included), then answer normally. */
  | { kind: 'delay'; ms: number }
  /** Send N chunks, then keep the socket open and send nothing more. */
  | { kind: 'stall'; afterChunks: number }
  /** Send N chunks, then destroy the socket. */
  | { kind: 'reset'; afterChunks: number }
  /** Send N chunks, then a data frame that is not valid JSON, then end the response. */
  | { kind: 'malformed'; afterChunks: number };

/** Wire format of a request, chosen by its path. */
export type UpstreamFormat = 'openai' | 'anthropic' | 'xai';

/** A request as the scripted upstream saw it. `aborted` and `completed` update as it settles. */
export interface RecordedRequest {
  format: UpstreamFormat;
  method: string;
  /** Path without the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: any;
  stream: boolean;
  /** True when the client closed the connection before the response was complete. */
  aborted: boolean;
  /** True when the whole response was written. */
  completed: boolean;
}
