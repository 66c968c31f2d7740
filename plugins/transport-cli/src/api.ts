import OpenAI from 'openai';
import { createParser } from 'eventsource-parser';
import type { Connection } from './connection.js';
import { reasonOf } from './connection.js';
import { CliError, EXIT, exitForStatus } from './errors.js';

type Query = Record<string, string | number | boolean | undefined>;

/** One step of a long request, as the server reports it. */
export interface ProgressUpdate {
  done: number;
  total?: number;
  message?: string;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Asks the server for progress (SSE) and gets each update while the request runs. */
  onProgress?: (update: ProgressUpdate) => void;
}

interface ErrorBody {
  error?: { message?: string; code?: string | null; param?: string | null };
}

/** A failed answer as a CliError: the server's message, its code, and an exit code for the status. */
export function apiFailure(status: number, body: unknown, service: string): CliError {
  const error = (body as ErrorBody | undefined)?.error;
  if (status === 401) {
    return new CliError(`${service} needs an API key: pass --api-key or set LLM_BAWT_API_KEY`, EXIT.failed, error?.code ?? 'LLMB_ERR_UNAUTHORIZED');
  }
  const message = error?.message ?? `the server answered ${status}`;
  return new CliError(message, exitForStatus(status, error?.code ?? undefined), error?.code ?? undefined);
}

/** The llm-bawt HTTP API as the CLI uses it: JSON routes, progress streams, and the official OpenAI client for chat. */
export class ApiClient {
  private chatClient: OpenAI | undefined;

  constructor(readonly connection: Connection) {}

  /** The official `openai` client pointed at this host. */
  openai(): OpenAI {
    this.chatClient ??= new OpenAI({
      baseURL: `${this.connection.baseUrl}/v1`,
      apiKey: this.connection.apiKey ?? 'unused',
      maxRetries: 0,
      timeout: 10 * 60_000,
    });
    return this.chatClient;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  post<T>(path: string, body: unknown = {}, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  delete<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('DELETE', path, query ? { query } : {});
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(`${this.connection.baseUrl}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: options.onProgress ? 'text/event-stream' : 'application/json' };
    if (this.connection.apiKey) headers.authorization = `Bearer ${this.connection.apiKey}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw new CliError('interrupted', EXIT.interrupted);
      throw new CliError(`cannot reach llm-bawt at ${this.connection.label}: ${reasonOf(error)}`, EXIT.unavailable);
    }
    if (options.onProgress && response.ok && (response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      return (await readProgressStream(response, options.onProgress, this.connection.label)) as T;
    }
    const text = await response.text();
    const body = text === '' ? undefined : parseJson(text);
    if (!response.ok) throw apiFailure(response.status, body, this.connection.label);
    return body as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { message: text.slice(0, 200) } };
  }
}

/** Reads `progress` frames until the `result` frame; an error frame throws. */
async function readProgressStream(response: Response, onProgress: (update: ProgressUpdate) => void, label: string): Promise<unknown> {
  let result: { body: unknown } | undefined;
  let failure: CliError | undefined;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]' || result || failure) return;
      const frame = parseJson(event.data) as { object?: string; body?: unknown; error?: unknown } & ProgressUpdate;
      if (frame.error !== undefined) failure = apiFailure(500, frame, label);
      else if (frame.object === 'progress') onProgress({ done: frame.done, ...(frame.total !== undefined ? { total: frame.total } : {}), ...(frame.message ? { message: frame.message } : {}) });
      else if (frame.object === 'result') result = { body: frame.body };
    },
  });
  const decoder = new TextDecoder();
  if (response.body) for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
  if (failure) throw failure;
  if (!result) throw new CliError(`${label} ended the progress stream before the result`, EXIT.failed);
  return result.body;
}
