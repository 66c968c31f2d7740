import { createError, isLlmbError, STAGE_ERROR_POLICY, type LlmbError, type Stage } from '@llm-bawt/sdk';
import { settle } from '../timeout.js';
import type { CompiledHook } from './hook-table.js';
import type { TurnState } from './turn-state.js';

/** Blames a hook's failure on its plugin, hook and stage, keeping a deliberate coded error's code. */
export function blame(error: unknown, hook: CompiledHook<unknown>, stage: Stage): LlmbError {
  const origin = { pluginId: hook.pluginId, hook: hook.hook, stage };
  if (isLlmbError(error)) {
    if (error.origin.pluginId) return error;
    return createError(error.code, `plugin '${hook.pluginId}' hook ${hook.hook} (stage ${stage}): ${error.message}`, { ...error.origin, ...origin }, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return createError('LLMB_ERR_HOOK_FAILED', `plugin '${hook.pluginId}' hook ${hook.hook} failed in stage ${stage}: ${message}`, origin, error);
}

function applies(hook: CompiledHook<unknown>, turn: TurnState): boolean {
  return hook.when === undefined || hook.when(turn.forPlugin(hook.pluginId));
}

/** Runs one hook with its timeout and the turn's abort signal; errors come back blamed. */
async function call<I, O>(hook: CompiledHook<(input: I, ctx: never) => O>, input: I, turn: TurnState, stage: Stage): Promise<Awaited<O>> {
  try {
    const result = hook.handler(input, turn.forPlugin(hook.pluginId) as never);
    return (await settle(result, hook.timeoutMs, turn.signal, { pluginId: hook.pluginId, hook: hook.hook, stage }, `plugin '${hook.pluginId}' hook ${hook.hook}`)) as Awaited<O>;
  } catch (error) {
    throw blame(error, hook as CompiledHook<unknown>, stage);
  }
}

function checkAborted(turn: TurnState, stage: Stage): void {
  if (turn.signal.aborted) throw createError('LLMB_ERR_ABORTED', `the turn was aborted during ${stage}`, { stage });
}

/**
 * Waterfall: each hook gets the previous output; `undefined` keeps the input. With `isBail`,
 * a result that matches ends the chain and is returned as the bail.
 */
export async function runWaterfall<T, B = never>(
  stage: Stage,
  hooks: readonly CompiledHook<(input: T, ctx: never) => unknown>[],
  input: T,
  turn: TurnState,
  isBail?: (value: unknown) => value is B,
): Promise<{ value: T; bail?: B }> {
  let value = input;
  for (const hook of hooks) {
    checkAborted(turn, stage);
    if (!applies(hook as CompiledHook<unknown>, turn)) continue;
    try {
      const result = await call(hook, value, turn, stage);
      if (isBail?.(result)) return { value, bail: result };
      if (result !== undefined && result !== null) value = result as T;
    } catch (error) {
      if (STAGE_ERROR_POLICY[stage] === 'fail' || hook.critical || (error as LlmbError).code === 'LLMB_ERR_ABORTED') throw error;
      turn.logger.warn((error as Error).message, { code: (error as LlmbError).code });
    }
  }
  checkAborted(turn, stage);
  return { value };
}

/**
 * Parallel-collect: every hook runs at once; with an isolating stage a failing hook is
 * logged and left out (a critical one still fails the turn).
 */
export async function runParallel<I, O>(
  stage: Stage,
  hooks: readonly CompiledHook<(input: I, ctx: never) => O>[],
  input: I,
  turn: TurnState,
): Promise<{ hook: CompiledHook<unknown>; value: Awaited<O> }[]> {
  checkAborted(turn, stage);
  const active = hooks.filter((hook) => applies(hook as CompiledHook<unknown>, turn));
  const settled = await Promise.allSettled(active.map((hook) => call(hook, input, turn, stage)));
  const results: { hook: CompiledHook<unknown>; value: Awaited<O> }[] = [];
  const failures: string[] = [];
  settled.forEach((outcome, i) => {
    const hook = active[i] as CompiledHook<unknown>;
    if (outcome.status === 'fulfilled') {
      results.push({ hook, value: outcome.value });
      return;
    }
    const error = outcome.reason as LlmbError;
    if (STAGE_ERROR_POLICY[stage] === 'fail' || hook.critical || error.code === 'LLMB_ERR_ABORTED') throw error;
    failures.push(`${hook.pluginId}:${hook.hook}`);
    turn.logger.warn(`${error.message} (left out of this turn)`, { code: error.code });
  });
  if (failures.length > 0) turn.note('failed', failures);
  checkAborted(turn, stage);
  return results;
}
