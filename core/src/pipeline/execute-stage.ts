import { createError, isLlmbError, toLlmbError, type AdapterDefinition, type Assembly, type AroundExecutor, type Executor, type TurnContext, type TurnEvent } from '@llm-bawt/sdk';
import { executeWithProviders } from '../execute/provider-executor.js';
import type { CompiledHook } from './hook-table.js';
import { blame } from './run-hooks.js';
import { finishTurn, record, type TurnRecorder } from './finish.js';
import type { Runtime } from './runtime.js';
import type { TurnState } from './turn-state.js';

type Run = (assembly: Assembly) => AsyncIterable<TurnEvent>;

/** Blames errors thrown while iterating a plugin's stream on that plugin. */
async function* attributed(source: AsyncIterable<TurnEvent>, hook: CompiledHook<unknown>): AsyncGenerator<TurnEvent> {
  try {
    yield* source;
  } catch (error) {
    // Upstream errors from providers are already coded; only unexpected throws are blamed.
    throw isLlmbError(error) ? error : blame(error, hook, 'EXECUTE');
  }
}

/** Picks the one handler for this turn: a claiming EXECUTE hook, the bot's agent backend, or the providers. */
function chooseExecutor(rt: Runtime, turn: TurnState): Run {
  const claimants = rt.table.EXECUTE.filter((hook) => hook.when === undefined || hook.when(turn.forPlugin(hook.pluginId)));
  if (claimants.length > 1) {
    throw createError(
      'LLMB_ERR_EXECUTE_CONFLICT',
      `more than one EXECUTE handler claims this turn: ${claimants.map((h) => `'${h.pluginId}'`).join(', ')}; give them 'when' conditions`,
      { stage: 'EXECUTE' },
    );
  }
  const claimant = claimants[0];
  if (claimant) {
    const handler = claimant.handler as Executor<TurnContext>;
    return (assembly) => attributed(handler(assembly, turn.forPlugin(claimant.pluginId)), claimant as CompiledHook<unknown>);
  }
  if (turn.bot.agent_backend) {
    const agent = rt.agents.get(turn.bot.agent_backend);
    if (!agent) {
      throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `bot '${turn.bot.slug}' uses agent backend '${turn.bot.agent_backend}', but no loaded plugin provides it`, { stage: 'EXECUTE' });
    }
    const hook = { pluginId: agent.pluginId, hook: `agent:${agent.backend.id}` } as CompiledHook<unknown>;
    return (assembly) => attributed(agent.backend.run(assembly, turn.forPlugin(agent.pluginId)), hook);
  }
  return (assembly) => executeWithProviders(rt.models, assembly, turn);
}

/** Wraps the handler in every `around` hook; the first in order is the outermost. */
function wrap(rt: Runtime, turn: TurnState, inner: Run): Run {
  return rt.table.around.reduceRight<Run>((next, hook) => {
    if (hook.when !== undefined && !hook.when(turn.forPlugin(hook.pluginId))) return next;
    const around = hook.handler as AroundExecutor<TurnContext>;
    return (assembly) => attributed(around(assembly, turn.forPlugin(hook.pluginId), next), hook as CompiledHook<unknown>);
  }, inner);
}

/** What the adapter still holds back, as a text event. */
function heldText(adapter: AdapterDefinition | undefined, state: Map<string, unknown>): TurnEvent | undefined {
  const text = adapter?.flush?.(state) ?? '';
  return text === '' ? undefined : { type: 'text', text };
}

/**
 * EXECUTE: streams the chosen handler's events through the `onChunk` hooks and the bot's
 * adapter, records the reply, and finishes the turn however the stream ends.
 */
export async function* runExecute(rt: Runtime, recorder: TurnRecorder, assembly: Assembly): AsyncGenerator<TurnEvent> {
  const { turn } = recorder;
  turn.stage = 'EXECUTE';
  const start = performance.now();
  const chunkHooks = rt.table.onChunk.filter((hook) => hook.when === undefined || hook.when(turn.forPlugin(hook.pluginId)));
  const adapter = rt.adapters.get(turn.setting<string>('adapter', ''));
  const adapterState = new Map<string, unknown>();
  let completed = false;
  try {
    const run = wrap(rt, turn, chooseExecutor(rt, turn));
    for await (const raw of run(assembly)) {
      if (turn.signal.aborted) throw createError('LLMB_ERR_ABORTED', 'the client went away', { stage: 'EXECUTE' });
      let event: TurnEvent | null = raw;
      for (const hook of chunkHooks) {
        try {
          const out = hook.handler(event, turn.forPlugin(hook.pluginId));
          if (out === null) {
            event = null;
            break;
          }
          if (out !== undefined) event = out;
        } catch (error) {
          throw blame(error, hook as CompiledHook<unknown>, 'EXECUTE');
        }
      }
      if (event === null) continue;
      if (adapter?.cleanChunk && event.type === 'text') {
        const text = adapter.cleanChunk(event.text, adapterState);
        if (text === '') continue;
        event = { type: 'text', text };
      } else if (event.type === 'finish') {
        // Text the adapter held back (a possible marker split across chunks) goes out before the finish.
        const held = heldText(adapter, adapterState);
        if (held) {
          record(recorder, held);
          yield held;
        }
      }
      record(recorder, event);
      yield event;
    }
    const held = heldText(adapter, adapterState);
    if (held) {
      record(recorder, held);
      yield held;
    }
    completed = true;
    if (adapter?.cleanReply) recorder.reply.content = adapter.cleanReply(recorder.reply.content);
  } catch (error) {
    const failure = turn.signal.aborted ? createError('LLMB_ERR_ABORTED', 'the client went away', { stage: 'EXECUTE' }, error) : toLlmbError(error, 'LLMB_ERR_INTERNAL', { stage: 'EXECUTE' });
    turn.timings.EXECUTE = performance.now() - start;
    void finishTurn(recorder, failure.code === 'LLMB_ERR_ABORTED' ? 'aborted' : 'error', failure);
    throw failure;
  } finally {
    if (!recorder.finished) {
      turn.timings.EXECUTE = performance.now() - start;
      // The reader stopped early (client gone): cancel upstream work, then finish as aborted.
      if (!completed) turn.abort();
      void finishTurn(recorder, completed ? 'ok' : 'aborted');
    }
  }
}
