import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { ApiClient } from './api.js';
import { CliError, EXIT, exitForStatus } from './errors.js';
import { reasonOf } from './connection.js';

/** What one turn asks for. */
export interface TurnRequest {
  content: string;
  bot?: string | undefined;
  model?: string | undefined;
  user?: string | undefined;
}

/** A server-side tool as it runs (llm-bawt's `service.tool_event` frames). */
export interface ToolEvent {
  event: 'tool_start' | 'tool_end';
  tool_call_id: string;
  name: string;
  arguments?: unknown;
  result?: string;
  is_error?: boolean;
  error?: string;
  duration_ms?: number;
}

export interface TurnHandlers {
  /** The first frame arrived (the model started answering). */
  onStart?(): void;
  onText?(text: string): void;
  onReasoning?(text: string): void;
  onTool?(event: ToolEvent): void;
}

export interface TurnResult {
  content: string;
  model: string;
  finishReason: string | null;
}

function body(request: TurnRequest, stream: boolean): Record<string, unknown> {
  return {
    messages: [{ role: 'user', content: request.content }],
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    ...(request.model ? { model: request.model } : {}),
    ...(request.bot ? { bot_id: request.bot } : {}),
    ...(request.user ? { user: request.user } : {}),
  };
}

/** An error of the `openai` client as a CliError with the server's message and code. */
export function turnFailure(error: unknown, label: string, signal?: AbortSignal): unknown {
  if (error instanceof APIUserAbortError || signal?.aborted) return new CliError('interrupted', EXIT.interrupted);
  if (error instanceof APIConnectionError) return new CliError(`cannot reach llm-bawt at ${label}: ${reasonOf(error)}`, EXIT.unavailable);
  if (error instanceof APIError) {
    const inner = (error.error ?? {}) as { message?: string; code?: string };
    const message = inner.message ?? error.message;
    if (error.status === 401) return new CliError(`${label} needs an API key: pass --api-key or set LLM_BAWT_API_KEY`, EXIT.failed, inner.code);
    return new CliError(message, error.status ? exitForStatus(error.status, inner.code ?? undefined) : EXIT.failed, inner.code ?? error.code ?? undefined);
  }
  return error;
}

/**
 * Streams one turn through the official `openai` client and reports text, reasoning and tool
 * events as they arrive. Errors (before or during the stream) are CliErrors.
 */
export async function streamTurn(api: ApiClient, request: TurnRequest, handlers: TurnHandlers, signal: AbortSignal): Promise<TurnResult> {
  let content = '';
  let model = request.model ?? '';
  let finishReason: string | null = null;
  let started = false;
  try {
    // `model` may be left out (the bot's default answers) and `bot_id` is llm-bawt's own field.
    const params = body(request, true) as unknown as Parameters<ReturnType<ApiClient['openai']>['chat']['completions']['create']>[0] & { stream: true };
    const stream = await api.openai().chat.completions.create(params, { signal });
    for await (const chunk of stream) {
      if (!started) {
        started = true;
        handlers.onStart?.();
      }
      const frame = chunk as unknown as { object?: string } & ToolEvent;
      if (frame.object === 'service.tool_event') {
        handlers.onTool?.(frame);
        continue;
      }
      if (chunk.model) model = chunk.model;
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta as { content?: string | null; reasoning_content?: string | null };
      if (delta.reasoning_content) handlers.onReasoning?.(delta.reasoning_content);
      if (delta.content) {
        content += delta.content;
        handlers.onText?.(delta.content);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  } catch (error) {
    throw turnFailure(error, api.connection.label, signal);
  }
  return { content, model, finishReason };
}

/** One turn without streaming: the `chat.completion` object as the API answers it. */
export async function completeTurn(api: ApiClient, request: TurnRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
  try {
    const params = body(request, false) as unknown as Parameters<ReturnType<ApiClient['openai']>['chat']['completions']['create']>[0] & { stream: false };
    return (await api.openai().chat.completions.create(params, { signal })) as unknown as Record<string, unknown>;
  } catch (error) {
    throw turnFailure(error, api.connection.label, signal);
  }
}
