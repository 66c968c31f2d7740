import type { ChatMessage, FinishReason, FinishedTurn, LlmbError, Reply, ToolRunRecord, TurnEvent, TurnStatus, Usage } from '@llm-bawt/sdk';
import { runParallel } from './run-hooks.js';
import type { Runtime } from './runtime.js';
import type { TurnState } from './turn-state.js';

/** What a turn produced so far; becomes the FinishedTurn. */
export interface TurnRecorder {
  readonly rt: Runtime;
  readonly turn: TurnState;
  readonly startedAt: Date;
  readonly started: number;
  messages: ChatMessage[];
  reply: Reply;
  usage?: Usage;
  finishReason?: FinishReason;
  toolRuns: ToolRunRecord[];
  readonly done: Promise<FinishedTurn>;
  finished: boolean;
  resolveDone(turn: FinishedTurn): void;
  release(): Promise<void>;
}

export function createRecorder(rt: Runtime, turn: TurnState, started: number, release: () => Promise<void>): TurnRecorder {
  let resolveDone!: (turn: FinishedTurn) => void;
  const done = new Promise<FinishedTurn>((resolve) => (resolveDone = resolve));
  return { rt, turn, startedAt: new Date(), started, messages: [], reply: { content: '' }, toolRuns: [], done, finished: false, resolveDone, release };
}

/** The events that replay a ready reply (a PRE_PROCESS bail). */
export function replyEvents(reply: Reply): TurnEvent[] {
  const events: TurnEvent[] = [];
  if (reply.reasoning) events.push({ type: 'reasoning', text: reply.reasoning });
  if (reply.content) events.push({ type: 'text', text: reply.content });
  reply.tool_calls?.forEach((call, index) => {
    events.push({ type: 'tool_call_delta', index, id: call.id, name: call.function.name, arguments: call.function.arguments });
  });
  events.push({ type: 'finish', reason: reply.tool_calls?.length ? 'tool_calls' : 'stop' });
  return events;
}

/** Server tool calls started but not yet ended, per turn: their arguments complete the record. */
const started = new WeakMap<TurnRecorder, Map<string, { name: string; arguments: string }>>();

/** Folds one output event into the recorded reply. Hot path: no allocation for text. */
export function record(recorder: TurnRecorder, event: TurnEvent): void {
  switch (event.type) {
    case 'text':
      recorder.reply.content += event.text;
      return;
    case 'reasoning':
      recorder.reply.reasoning = (recorder.reply.reasoning ?? '') + event.text;
      return;
    case 'tool_call_delta': {
      const calls = (recorder.reply.tool_calls ??= []);
      const call = (calls[event.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (event.id) call.id = event.id;
      if (event.name) call.function.name += event.name;
      if (event.arguments) call.function.arguments += event.arguments;
      return;
    }
    case 'tool_start': {
      let open = started.get(recorder);
      if (!open) started.set(recorder, (open = new Map()));
      open.set(event.id, { name: event.name, arguments: event.arguments });
      return;
    }
    case 'tool_end': {
      const open = started.get(recorder);
      const start = open?.get(event.id);
      open?.delete(event.id);
      recorder.toolRuns.push({
        id: event.id,
        name: event.name || (start?.name ?? ''),
        arguments: start?.arguments ?? '',
        result: event.result,
        durationMs: event.durationMs,
        ...(event.error !== undefined ? { error: event.error } : {}),
      });
      return;
    }
    case 'usage':
      recorder.usage = event.usage;
      return;
    case 'finish': {
      recorder.finishReason = event.reason;
      // Server tool calls announced while streaming are in toolRuns; the reply keeps only the client's.
      const calls = recorder.reply.tool_calls;
      if (calls && recorder.toolRuns.length > 0) {
        const ran = new Set(recorder.toolRuns.map((run) => run.id));
        const kept = calls.filter((call) => call !== undefined && !ran.has(call.id));
        if (kept.length > 0) recorder.reply.tool_calls = kept;
        else delete recorder.reply.tool_calls;
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Ends a turn once: resolves `done`, then runs POST_PROCESS detached (all hooks at once,
 * failures logged, never surfaced) and releases the request scope when it settles.
 */
export function finishTurn(recorder: TurnRecorder, status: TurnStatus, error?: LlmbError): Promise<void> {
  if (recorder.finished) return Promise.resolve();
  recorder.finished = true;
  const { turn, rt } = recorder;
  const finished: FinishedTurn = {
    requestId: turn.requestId,
    request: turn.request,
    bot: turn.bot,
    ...(turn.model ? { model: turn.model } : {}),
    decisions: { ...turn.decisions },
    messages: recorder.messages,
    reply: recorder.reply,
    ...(recorder.usage ? { usage: recorder.usage } : {}),
    ...(recorder.finishReason ? { finishReason: recorder.finishReason } : {}),
    status,
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
    toolRuns: recorder.toolRuns,
    timings: turn.timings,
    outputs: turn.outputs,
    startedAt: recorder.startedAt,
    durationMs: performance.now() - recorder.started,
  };
  recorder.resolveDone(finished);
  const post = (async () => {
    if (rt.table.POST_PROCESS.length > 0) {
      turn.stage = 'POST_PROCESS';
      const start = performance.now();
      // Detached: the client's abort must not cancel persistence, so POST_PROCESS gets a fresh signal.
      turn.signal = new AbortController().signal;
      try {
        await runParallel('POST_PROCESS', rt.table.POST_PROCESS, finished, turn);
      } catch (failure) {
        rt.logger.error(`POST_PROCESS: ${(failure as Error).message}`);
      }
      turn.timings.POST_PROCESS = performance.now() - start;
    }
  })()
    .catch((failure: unknown) => rt.logger.error(`POST_PROCESS: ${(failure as Error).message}`))
    .finally(() => recorder.release().catch((failure: unknown) => rt.logger.error(`request scope teardown: ${(failure as Error).message}`)));
  rt.track(post);
  return post;
}
