import { randomUUID } from 'node:crypto';
import { coreRefs, type Assembly, type ChatMessage, type FinishReason, type ToolCall, type ToolSpec, type TurnContext, type TurnEvent, type Usage } from '@llm-bawt/sdk';
import { resolveToolName } from './aliases.js';
import { dropUnansweredCalls, nativeToolsSection, observation, reactStops, reactToolsSection, toReactHistory, withSystemSection } from './prompts.js';
import { parseReact } from './react-parser.js';
import { ReactGate, type GateResult } from './react-gate.js';
import { runToolCall, type PendingCall, type ToolOutcome } from './run-tool.js';
import type { ServerTool } from './tool-set.js';

/** How a turn uses tools: what the server runs, what the client gets back, and in which format. */
export interface ToolPlan {
  server: ReadonlyMap<string, ServerTool>;
  client: readonly ToolSpec[];
  /** Native function calling; otherwise the ReAct text protocol. */
  native: boolean;
}

/** Calls the model once (with the resilience policy); the loop calls it per round. */
export type CallModel = (assembly: Assembly) => AsyncIterable<TurnEvent>;

const DEFAULT_ITERATIONS = 20;
const DEFAULT_STREAM_ITERATIONS = 5;
const MAX_ITERATIONS = 100;
const DEFAULT_MAX_CALLS = 50;
const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
/** tool_end events (and so turn records and frames) carry at most this much of a result. */
const PREVIEW_CHARS = 4_000;

function addUsage(total: Usage | undefined, next: Usage): Usage {
  if (!total) return { ...next };
  const sum: Usage = {
    prompt_tokens: total.prompt_tokens + next.prompt_tokens,
    completion_tokens: total.completion_tokens + next.completion_tokens,
    total_tokens: total.total_tokens + next.total_tokens,
  };
  for (const key of ['cached_tokens', 'cache_creation_tokens', 'reasoning_tokens'] as const) {
    if (total[key] !== undefined || next[key] !== undefined) sum[key] = (total[key] ?? 0) + (next[key] ?? 0);
  }
  return sum;
}

function limit(value: unknown, fallback: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
  return Math.min(MAX_ITERATIONS, Math.max(1, n));
}

/** A call the round produced, in the order the model made them. */
interface RoundCall extends PendingCall {
  client: boolean;
}

/** Passes buffered text through unchanged (non-streaming turns parse the whole reply at once). */
class BufferGate {
  #raw = '';
  push(text: string): string {
    this.#raw += text;
    return '';
  }
  end(): GateResult {
    return { out: '', raw: this.#raw, captured: this.#raw, captureStart: 0, sawFinal: false };
  }
}

/**
 * The tool loop: call the model, run the server tools it asks for, feed the results back,
 * and repeat until it answers, calls a client tool (returned to the client as OpenAI tool
 * calls), or the round limit is hit. Usage is summed over rounds and one finish ends it.
 */
export async function* runToolLoop(plan: ToolPlan, assembly: Assembly, ctx: TurnContext, callModel: CallModel): AsyncGenerator<TurnEvent> {
  const streaming = ctx.request.stream;
  const maxRounds = limit(ctx.setting<unknown>('max_tool_iterations', undefined), streaming ? DEFAULT_STREAM_ITERATIONS : DEFAULT_ITERATIONS);
  const maxCalls = limit(ctx.setting<unknown>('max_tool_calls', undefined), DEFAULT_MAX_CALLS);
  const timeoutMs = ctx.setting('tool_timeout_ms', DEFAULT_TOOL_TIMEOUT_MS);
  // A client with tools of its own would take every announced call for its own to answer.
  const announce = streaming && plan.client.length === 0;
  const clientNames = new Set(plan.client.map((t) => t.function.name));
  const serverSpecs = [...plan.server.values()].map((entry) => entry.spec);
  const serverNames = new Set(plan.server.keys());

  let messages = dropUnansweredCalls(assembly.messages, serverNames);
  let tools: ToolSpec[] = assembly.tools;
  let params = assembly.params;
  if (plan.native) {
    if (serverSpecs.length > 0) {
      messages = withSystemSection(messages, nativeToolsSection([...serverNames]));
      tools = [...plan.client, ...serverSpecs];
    }
  } else {
    messages = withSystemSection(toReactHistory(messages), reactToolsSection([...plan.client, ...serverSpecs]));
    tools = [];
    const { tool_choice: _choice, ...rest } = assembly.params;
    params = { ...rest, stop: reactStops(assembly.model, assembly.params.stop) };
  }

  let usage: Usage | undefined;
  let reason: FinishReason = 'stop';
  let model: string | undefined;
  let nextIndex = 0;
  let emitted = '';
  let rounds = 0;
  let callsRun = 0;
  const bus = busOf(ctx);

  // Text of a later round starts on its own paragraph when the previous round said something.
  let roundStart = true;
  const text = (chunk: string): TurnEvent | undefined => {
    if (chunk === '') return undefined;
    let out = chunk;
    if (roundStart && emitted !== '' && !/\s$/.test(emitted)) out = `\n\n${chunk.trimStart()}`;
    roundStart = false;
    emitted = (emitted + out).slice(-2);
    return { type: 'text', text: out };
  };

  for (;;) {
    roundStart = true;
    const gate = streaming ? new ReactGate(plan.native ? 'native' : 'react') : new BufferGate();
    const nativeCalls: { id?: string; name: string; arguments: string }[] = [];
    for await (const event of callModel({ ...assembly, messages, tools, params })) {
      switch (event.type) {
        case 'text': {
          const out = text(gate.push(event.text));
          if (out) yield out;
          break;
        }
        case 'tool_call_delta': {
          const call = (nativeCalls[event.index] ??= { name: '', arguments: '' });
          if (event.id) call.id = event.id;
          if (event.name) call.name += event.name;
          if (event.arguments) call.arguments += event.arguments;
          break;
        }
        case 'usage':
          usage = addUsage(usage, event.usage);
          break;
        case 'finish':
          reason = event.reason;
          if (event.model) model = event.model;
          break;
        default:
          yield event;
      }
    }
    const round = gate.end();
    const tail = text(round.out);
    if (tail) yield tail;

    const calls: RoundCall[] = [];
    let assistant: ChatMessage | undefined;
    const called = nativeCalls.filter((call) => call !== undefined && call.name !== '');
    if (called.length > 0) {
      for (const call of called) {
        const id = call.id ?? `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
        calls.push({ id, name: call.name, arguments: call.arguments, client: isClient(call.name, clientNames, plan.server) });
      }
      const content = round.raw === '' ? null : round.raw;
      assistant = { role: 'assistant', content, tool_calls: calls.map(toToolCall) };
      // Streamed text held at an `Action:` line was not a call after all: the native calls were.
      const held = streaming && round.captured !== undefined ? text(round.captured) : undefined;
      if (held) yield held;
    } else if (round.captured !== undefined) {
      const parsed = round.sawFinal ? undefined : parseReact(round.captured, { actionOnly: plan.native });
      if (parsed?.kind === 'call') {
        const id = `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
        calls.push({ id, name: parsed.name, arguments: parsed.arguments, ...(parsed.argumentsError ? { argumentsError: parsed.argumentsError } : {}), client: isClient(parsed.name, clientNames, plan.server) });
        assistant = { role: 'assistant', content: round.raw.slice(0, round.captureStart + parsed.end) };
      } else {
        const final = text(parsed?.kind === 'final' ? parsed.text : round.captured);
        if (final) yield final;
      }
    }
    if (calls.length === 0) break;
    // Unstreamed, a native model's words beside its calls reach the client only when the turn ends here.
    const said = !streaming && called.length > 0 ? text(round.raw) : undefined;

    const clientCalls = calls.filter((call) => call.client);
    if (clientCalls.length > 0) {
      if (said) yield said;
      // The client answers its own calls; server calls of the same batch are left for the next round.
      for (const call of clientCalls) {
        yield { type: 'tool_call_delta', index: nextIndex++, id: call.id, name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) };
      }
      reason = 'tool_calls';
      break;
    }
    if (rounds >= maxRounds) {
      const message = `stopped after ${maxRounds} round(s) of tool calls without a final answer (max_tool_iterations)`;
      yield { type: 'warning', code: 'tool_limit', message };
      if (said) yield said;
      roundStart = true;
      const out = text(`[${message[0]?.toUpperCase()}${message.slice(1)}.]`);
      if (out) yield out;
      reason = 'stop';
      break;
    }
    rounds++;

    const results: ChatMessage[] = [];
    for (const call of calls) {
      const started = performance.now();
      const shownName = resolveToolName(call.name, (name) => plan.server.has(name)).name;
      const shownArgs = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
      if (announce) yield { type: 'tool_call_delta', index: nextIndex++, id: call.id, name: shownName, arguments: shownArgs };
      yield startEvent(call.id, shownName, shownArgs, bus, ctx, rounds);
      const outcome: ToolOutcome =
        callsRun >= maxCalls
          ? { name: shownName, arguments: shownArgs, result: '', error: `too many tool calls in this turn (max_tool_calls is ${maxCalls}); answer with what you have` }
          : await runToolCall(call, plan.server, ctx, timeoutMs);
      callsRun++;
      yield endEvent(call.id, outcome, performance.now() - started, bus, ctx, rounds);
      if (plan.native && called.length > 0) {
        results.push({ role: 'tool', tool_call_id: call.id, content: outcome.error === undefined ? outcome.result : `Error: ${outcome.error}` });
      } else {
        results.push({ role: 'user', content: observation(outcome.name, outcome.result, outcome.error, rounds === 1) });
      }
    }
    messages = [...messages, assistant as ChatMessage, ...results];
  }

  if (usage) yield { type: 'usage', usage };
  yield model === undefined ? { type: 'finish', reason } : { type: 'finish', reason, model };
}

function isClient(name: string, clientNames: ReadonlySet<string>, server: ReadonlyMap<string, ServerTool>): boolean {
  return clientNames.has(name) || (!server.has(name) && clientNames.has(resolveToolName(name, (n) => clientNames.has(n)).name));
}

function toToolCall(call: RoundCall): ToolCall {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) } };
}

type Bus = { publish(topic: string, payload: unknown): void } | undefined;

function busOf(ctx: TurnContext): Bus {
  try {
    return ctx.get(coreRefs.bus);
  } catch {
    return undefined;
  }
}

function publish(bus: Bus, ctx: TurnContext, payload: Record<string, unknown>): void {
  if (!bus) return;
  try {
    bus.publish(`tool:${ctx.bot.slug}`, { ...payload, turn_id: ctx.requestId, bot_id: ctx.bot.slug, user_id: ctx.request.userId, ts: new Date().toISOString() });
  } catch (error) {
    ctx.logger.warn(`publishing a tool event failed: ${(error as Error).message}`);
  }
}

function startEvent(id: string, name: string, args: string, bus: Bus, ctx: TurnContext, iteration: number): TurnEvent {
  publish(bus, ctx, { event: 'tool_start', call_id: id, tool_name: name, arguments: args, iteration });
  return { type: 'tool_start', id, name, arguments: args };
}

function endEvent(id: string, outcome: ToolOutcome, durationMs: number, bus: Bus, ctx: TurnContext, iteration: number): TurnEvent {
  const preview = outcome.error ?? (outcome.result.length > PREVIEW_CHARS ? `${outcome.result.slice(0, PREVIEW_CHARS)}…` : outcome.result);
  publish(bus, ctx, {
    event: 'tool_end',
    call_id: id,
    tool_name: outcome.name,
    arguments: outcome.arguments,
    iteration,
    result: preview,
    is_error: outcome.error !== undefined,
    duration_ms: Math.round(durationMs),
  });
  return {
    type: 'tool_end',
    id,
    name: outcome.name,
    result: preview,
    durationMs,
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
  };
}
