import {
  defineAgentBackend,
  definePlugin,
  defineProvider,
  type AnyPlugin,
  type BotConfig,
  type ChatMessage,
  type GenerationParams,
  type HostApi,
  type ModelSpec,
  type TurnEvent,
} from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/sdk/testing';
import OpenAI from 'openai';
import transportOpenai, { transportOpenaiRef } from '../src/index.js';

/** What a scripted turn sees. */
export interface ScriptCall {
  signal: AbortSignal;
  messages: ChatMessage[];
  params: GenerationParams;
  stream: boolean;
  model: string;
}

export type Script = (call: ScriptCall) => AsyncIterable<TurnEvent>;

/** A script that yields these events in order. */
export function events(...list: TurnEvent[]): Script {
  return async function* () {
    yield* list;
  };
}

/**
 * An inline provider (`provider: fake`) and agent backend (`scripted`) that both answer
 * with the current script, and record every call.
 */
export function scriptedPlugin() {
  let script: Script = events({ type: 'text', text: 'ok' }, { type: 'finish', reason: 'stop' });
  const calls: ScriptCall[] = [];
  const run = (call: ScriptCall) => {
    calls.push(call);
    return script(call);
  };
  const plugin = definePlugin({
    id: 'scripted-test',
    version: '0.1.0',
    sdk: '^0.1.0',
    contributes: {
      providers: [
        defineProvider({
          id: 'fake',
          kinds: ['fake'],
          check: (model) => (model.model === 'needs-key' ? { usable: false, reason: 'FAKE_KEY is not set', hint: 'set FAKE_KEY' } : { usable: true }),
          create: (model) => ({
            capabilities: { nativeTools: true, vision: false, reasoning: true },
            generate: (request, options) =>
              run({ signal: options.signal, messages: request.messages, params: request.params, stream: options.stream, model: model.alias }),
          }),
        }),
      ],
      agents: [
        defineAgentBackend({
          id: 'scripted',
          run: (assembly, ctx) =>
            run({ signal: ctx.signal, messages: assembly.messages, params: assembly.params, stream: ctx.request.stream, model: assembly.model.alias }),
        }),
      ],
    },
  });
  return {
    plugin,
    calls,
    set(next: Script) {
      script = next;
    },
  };
}

export const MODELS: ModelSpec[] = [
  { alias: 'm', provider: 'fake', model: 'fake-1', pricing: { input_per_mtok: 1, output_per_mtok: 2 } },
  { alias: 'locked', provider: 'fake', model: 'needs-key' },
  { alias: 'orphan', provider: 'nowhere', model: 'x' },
];

export const BOTS: (Partial<BotConfig> & { slug: string })[] = [
  { slug: 'test' },
  { slug: 'helper', agent_backend: 'scripted', description: 'A scripted agent' },
];

export interface Booted {
  host: HostApi;
  /** `http://127.0.0.1:PORT` */
  url: string;
  client: OpenAI;
  scripted: ReturnType<typeof scriptedPlugin>;
}

/** Boots a real host with the transport on a free port and the scripted plugin. */
export async function boot(options: {
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  plugins?: AnyPlugin[];
  models?: ModelSpec[];
  defaultModel?: string;
  settings?: Record<string, unknown>;
  apiKey?: string;
} = {}): Promise<Booted> {
  const scripted = scriptedPlugin();
  const host = await createTestHost({
    plugins: [transportOpenai, scripted.plugin, ...(options.plugins ?? [])],
    bots: BOTS,
    models: options.models ?? MODELS,
    defaultModel: options.defaultModel ?? options.models?.[0]?.alias ?? 'm',
    pluginConfig: { 'transport-openai': options.config ?? {} },
    settings: { upstream_max_retries: 0, ...options.settings },
    env: options.env ?? {},
    transports: true,
    listen: { port: 0 },
  });
  const url = host.get(transportOpenaiRef).url as string;
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: options.apiKey ?? 'unused', maxRetries: 0 });
  return { host, url, client, scripted };
}

/** POSTs JSON (or a raw string) and returns status, headers and parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Reads an SSE response to its end and splits it into raw frames (comments included). */
export async function sseFrames(res: Response): Promise<string[]> {
  const text = await res.text();
  return text.split('\n\n').filter((frame) => frame !== '');
}

/** The JSON payloads of `data:` frames, `[DONE]` kept as a string. */
export function dataOf(frames: string[]): any[] {
  return frames.filter((f) => f.startsWith('data: ')).map((f) => (f === 'data: [DONE]' ? '[DONE]' : JSON.parse(f.slice(6))));
}

/** Resolves when `signal` aborts. */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** A promise with its resolver, for scripts the test releases by hand. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** A response's JSON body, loosely typed for assertions. */
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}

/** A script whose first `next()` rejects with `error`. */
export function failing(error: unknown): Script {
  return () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) });
}
