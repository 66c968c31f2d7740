import * as v from 'valibot';
import { createError, type ToolContext, type TurnContext } from '@llm-bawt/sdk';
import { normalizeArguments, resolveToolName } from './aliases.js';
import { propertyNames } from './schema.js';
import type { ServerTool } from './tool-set.js';

/** A call the model made, before it is checked. */
export interface PendingCall {
  id: string;
  name: string;
  /** Native calls carry a JSON string; ReAct calls arrive parsed. */
  arguments: string | Record<string, unknown>;
  /** Set when the ReAct parser could not read the arguments. */
  argumentsError?: string;
}

/** What running one call produced. */
export interface ToolOutcome {
  /** The tool's name after alias resolution. */
  name: string;
  /** The arguments as run (JSON), for events and records. */
  arguments: string;
  /** The result text for the model (empty on error). */
  result: string;
  error?: string;
}

/** Results longer than this are cut before they reach the model. */
const RESULT_MAX_CHARS = 100_000;

function resultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return 'done';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n[truncated: ${text.length - max} more characters]` : text;
}

function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

function readArguments(call: PendingCall): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (call.argumentsError !== undefined) return { ok: false, error: call.argumentsError };
  if (typeof call.arguments !== 'string') return { ok: true, value: call.arguments };
  if (call.arguments.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(call.arguments);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
    return { ok: false, error: 'the arguments must be a JSON object' };
  } catch (error) {
    return { ok: false, error: `the arguments are not valid JSON (${(error as Error).message})` };
  }
}

/** Runs `work` under the turn's signal and a timeout; the tool sees one signal for both. */
async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, turnSignal: AbortSignal, name: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => controller.abort(turnSignal.reason);
  turnSignal.addEventListener('abort', onAbort, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = createError('LLMB_ERR_HOOK_TIMEOUT', `the tool '${name}' did not finish within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  stopped.catch(() => undefined);
  try {
    return await Promise.race([work(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    turnSignal.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs one call against the turn's tool set. Nothing here throws for the model's mistakes:
 * an unknown or withheld tool, unreadable or invalid arguments, a failing or slow tool all
 * become an error outcome the model reads. Only the turn's own abort propagates.
 */
export async function runToolCall(call: PendingCall, tools: ReadonlyMap<string, ServerTool>, ctx: TurnContext, timeoutMs: number): Promise<ToolOutcome> {
  const resolved = resolveToolName(call.name, (name) => tools.has(name));
  const entry = tools.get(resolved.name);
  const raw = readArguments(call);
  const shown = raw.ok ? JSON.stringify({ ...resolved.defaults, ...raw.value }) : typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
  const fail = (error: string): ToolOutcome => ({ name: resolved.name, arguments: shown, result: '', error });
  if (!entry) {
    const names = [...tools.keys()];
    return fail(`there is no tool '${call.name}' available to you${names.length > 0 ? `; the tools you can call are: ${names.join(', ')}` : ''}`);
  }
  if (!raw.ok) return fail(`invalid arguments for '${entry.tool.name}': ${raw.error}`);
  const args = normalizeArguments({ ...resolved.defaults, ...raw.value }, propertyNames(entry.spec));
  const parsed = v.safeParse(entry.tool.input, args);
  if (!parsed.success) return fail(`invalid arguments for '${entry.tool.name}': ${issuesText(parsed.issues)}`);
  const outcome = (result: string, error?: string): ToolOutcome => ({
    name: entry.tool.name,
    arguments: JSON.stringify(args),
    result,
    ...(error !== undefined ? { error } : {}),
  });
  try {
    const value = await withTimeout(
      async (signal) => {
        const toolCtx: ToolContext = {
          bot: ctx.bot,
          userId: ctx.request.userId,
          signal,
          logger: ctx.logger.child({ tool: entry.tool.name, plugin: entry.pluginId }),
          turn: ctx,
          get: (ref) => ctx.get(ref),
        };
        return entry.tool.run(parsed.output, toolCtx);
      },
      timeoutMs,
      ctx.signal,
      entry.tool.name,
    );
    return outcome(cut(resultText(value), RESULT_MAX_CHARS));
  } catch (error) {
    if (ctx.signal.aborted) throw createError('LLMB_ERR_ABORTED', 'the client went away', { stage: 'EXECUTE' }, error);
    return outcome('', error instanceof Error ? error.message : String(error));
  }
}
