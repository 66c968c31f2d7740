import { createError, isLlmbError, type Assembly, type TurnContext, type TurnEvent } from '@llm-bawt/sdk';
import type { ConfiguredModelRegistry } from '../models-registry.js';
import { runToolLoop, type ToolPlan } from '../tools/loop.js';
import { serverToolsFor } from '../tools/tool-set.js';
import { DEFAULT_RESILIENCE, nextWithin, openWithRetries, type Attempt, type ResilienceOptions } from './resilience.js';

/** Resilience limits for a turn: runtime settings (request -> bot -> global) over the defaults. */
export function resilienceFor(ctx: TurnContext): ResilienceOptions {
  const d = DEFAULT_RESILIENCE;
  return {
    maxRetries: ctx.setting('upstream_max_retries', d.maxRetries),
    baseBackoffMs: ctx.setting('upstream_backoff_ms', d.baseBackoffMs),
    maxBackoffMs: ctx.setting('upstream_max_backoff_ms', d.maxBackoffMs),
    deadlineMs: ctx.setting('upstream_deadline_ms', d.deadlineMs),
    firstTokenTimeoutMs: ctx.setting('upstream_first_token_timeout_ms', d.firstTokenTimeoutMs),
    idleTimeoutMs: ctx.setting('upstream_idle_timeout_ms', d.idleTimeoutMs),
  };
}

/**
 * The default EXECUTE handler. A turn with server tools (or client tools for a ReAct-only
 * model) runs the tool loop, which calls the model once per round; any other turn is relayed
 * straight from the provider.
 */
export async function* executeWithProviders(models: ConfiguredModelRegistry, assembly: Assembly, ctx: TurnContext): AsyncGenerator<TurnEvent> {
  const plan = planTools(models, assembly, ctx);
  if (plan) yield* runToolLoop(plan, assembly, ctx, (next) => callProviders(models, next, ctx));
  else yield* callProviders(models, assembly, ctx);
}

/** The turn's tool plan, or undefined when the model's reply can be relayed as it comes. */
function planTools(models: ConfiguredModelRegistry, assembly: Assembly, ctx: TurnContext): ToolPlan | undefined {
  // Background calls (coreRefs.llm) carry no decisions and never use tools.
  if (ctx.decisions === undefined || assembly.model.tool_support === 'none') return undefined;
  const client = assembly.tools;
  const server = serverToolsFor(ctx, new Set(client.map((tool) => tool.function.name)));
  if (server.size === 0 && client.length === 0) return undefined;
  let native = assembly.model.tool_support !== 'react';
  try {
    native &&= models.client(assembly.model.alias).capabilities.nativeTools;
  } catch {
    // An unusable primary alias fails (or falls back) in callProviders with the real error.
  }
  if (server.size === 0 && (native || client.length === 0)) return undefined;
  return { server, client, native };
}

/**
 * Calls the alias's provider client under the resilience policy, then each fallback alias in
 * turn while nothing has been sent yet.
 */
export async function* callProviders(models: ConfiguredModelRegistry, assembly: Assembly, ctx: TurnContext): AsyncGenerator<TurnEvent> {
  const aliases = [assembly.model.alias, ...(assembly.model.fallbacks ?? [])];
  const options = resilienceFor(ctx);
  for (let i = 0; i < aliases.length; i++) {
    const alias = aliases[i] as string;
    const isLast = i === aliases.length - 1;
    const spec = models.get(alias);
    const what = `${spec?.provider ?? 'provider'} (alias ${alias})`;
    let attempt: Attempt;
    try {
      const client = models.client(alias);
      const request = { model: spec ?? assembly.model, messages: assembly.messages, tools: assembly.tools, params: assembly.params };
      attempt = await openWithRetries(
        (signal) => client.generate(request, { signal, stream: ctx.request.stream }),
        options,
        ctx.signal,
        what,
        (error, delayMs) => ctx.logger.warn(`${what}: retrying in ${delayMs} ms`, { code: error.code, error: error.message }),
      );
    } catch (error) {
      if (ctx.signal.aborted) throw createError('LLMB_ERR_ABORTED', 'the client went away', {}, error);
      if (isLast || !isLlmbError(error)) throw error;
      yield { type: 'warning', code: error.code, message: `model '${alias}' failed (${error.message}); falling back to '${aliases[i + 1]}'` };
      continue;
    }
    yield* relay(attempt, options.idleTimeoutMs, what, ctx.signal);
    return;
  }
}

async function* relay(attempt: Attempt, idleMs: number, what: string, signal: AbortSignal): AsyncGenerator<TurnEvent> {
  let finished = false;
  try {
    let result = attempt.first;
    while (!result.done) {
      yield result.value;
      result = await nextWithin(attempt.iterator, idleMs, attempt.controller, what);
    }
    finished = true;
  } catch (error) {
    if (signal.aborted) throw createError('LLMB_ERR_ABORTED', 'the client went away', {}, error);
    throw error;
  } finally {
    attempt.detach();
    if (!finished) {
      // Cancel the upstream first: the provider may be mid-await, so return() is not awaited.
      attempt.controller.abort(signal.reason);
      void attempt.iterator.return?.(undefined)?.catch(() => undefined);
    }
  }
}
