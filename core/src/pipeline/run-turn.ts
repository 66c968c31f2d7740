import { randomUUID } from 'node:crypto';
import {
  createError,
  isBranded,
  PROMPT_POSITION,
  toLlmbError,
  type Assembly,
  type Bail,
  type ChatMessage,
  type ContextFragment,
  type LlmbError,
  type ModelSpec,
  type Stage,
  type TurnInput,
  type TurnStream,
} from '@llm-bawt/sdk';
import { PromptBuilder } from '../prompt-builder.js';
import { runExecute } from './execute-stage.js';
import { runParallel, runWaterfall } from './run-hooks.js';
import { mergeFragments } from './retrieval.js';
import { applyDecisionOverrides, defaultDecisions, normalizeRequest } from './normalize.js';
import type { Runtime } from './runtime.js';
import { TurnState } from './turn-state.js';
import { createRecorder, finishTurn, record, replyEvents, type TurnRecorder } from './finish.js';

const isBail = (value: unknown): value is Bail => isBranded(value, 'bail');

async function timed<T>(turn: TurnState, stage: Stage, work: () => Promise<T>): Promise<T> {
  turn.stage = stage;
  const start = performance.now();
  try {
    return await work();
  } finally {
    turn.timings[stage] = performance.now() - start;
  }
}

function textOf(message: ChatMessage | undefined): string {
  if (!message || message.content === null) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
}

function resolveModel(rt: Runtime, turn: TurnState): ModelSpec {
  const { bot, request } = turn;
  if (bot.agent_backend && !request.model) {
    return { alias: bot.slug, provider: 'agent', model: bot.agent_backend };
  }
  const alias = request.model ?? bot.default_model ?? rt.models.defaultAlias();
  if (!alias) {
    // A plugin that handles EXECUTE itself needs no model from models.yaml.
    if (rt.table.EXECUTE.length > 0) return { alias: 'none', provider: 'none', model: 'none' };
    const hint = rt.models.list().length === 0
      ? 'no models are configured: add one to models.yaml'
      : 'no configured model is usable: set a provider key (e.g. OPENAI_API_KEY) or a local base_url in models.yaml';
    throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `no model to answer with: ${hint}`, { param: 'model' });
  }
  const spec = rt.models.get(alias);
  if (!spec) throw createError('LLMB_ERR_UNKNOWN_MODEL', `The model '${alias}' does not exist`, { param: 'model' });
  return spec;
}

/**
 * Runs stages 1-5 of a turn and returns its stream; EXECUTE runs as the stream is read and
 * POST_PROCESS is started, detached, when it ends. Rejects with a coded error when the
 * turn fails before any output.
 */
export async function startTurn(rt: Runtime, input: TurnInput, options: { signal?: AbortSignal } = {}): Promise<TurnStream> {
  const started = performance.now();
  const botId = input.botId ?? rt.bots.defaultSlug();
  const bot = rt.bots.get(botId);
  if (!bot) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${botId}' does not exist`, { param: 'bot_id' });
  const request = normalizeRequest(input, bot.slug, input.userId ?? rt.defaultUser);
  const requestId = `turn_${randomUUID()}`;
  const controller = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });

  const scope = rt.scopes.openRequest(bot, requestId);
  const turn = new TurnState(
    requestId,
    bot,
    request,
    defaultDecisions(bot),
    controller,
    rt.logger.child({ turn: requestId.slice(5, 13), bot: bot.slug }),
    scope.container,
    rt.globalSettings,
    rt.settingsSource,
    rt.pluginContext,
  );
  const recorder = createRecorder(rt, turn, started, () => {
    outer?.removeEventListener('abort', onOuterAbort);
    return scope.dispose();
  });

  let assembly: Assembly;
  try {
    const pre = await timed(turn, 'PRE_PROCESS', () => runWaterfall('PRE_PROCESS', rt.table.PRE_PROCESS, turn.request, turn, isBail));
    turn.request = pre.value;
    applyDecisionOverrides(turn.decisions, bot, turn.request);
    if (pre.bail) return bailStream(recorder, pre.bail);

    turn.model = resolveModel(rt, turn);
    if (turn.model.provider !== 'agent' && rt.table.EXECUTE.length === 0) {
      const availability = rt.models.availability(turn.model.alias);
      if (!availability.usable && !(turn.model.fallbacks ?? []).some((alias) => rt.models.availability(alias).usable)) {
        throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `model '${turn.model.alias}' cannot be used: ${availability.reason}. ${availability.hint}`, { param: 'model' });
      }
    }

    const prompt = new PromptBuilder();
    prompt.set('persona', bot.system_prompt, { position: PROMPT_POSITION.persona });
    const built = await timed(turn, 'CONTEXT_BUILD', () => runWaterfall('CONTEXT_BUILD', rt.table.CONTEXT_BUILD, prompt as never, turn));
    const builder = built.value as PromptBuilder;

    if (turn.decisions.use_memory && rt.table.MEMORY_RETRIEVAL.length > 0) {
      await timed(turn, 'MEMORY_RETRIEVAL', async () => {
        const lastUser = turn.request.messages.findLast((m) => m.role === 'user');
        const budget = Math.floor((turn.setting('max_context_tokens', 12_000) * turn.setting('memory_max_token_percent', 30)) / 100);
        const query = { text: textOf(lastUser), botId: bot.slug, userId: turn.request.userId, ...(turn.request.sessionId ? { sessionId: turn.request.sessionId } : {}), budgetTokens: budget };
        const results = await runParallel('MEMORY_RETRIEVAL', rt.table.MEMORY_RETRIEVAL, query, turn);
        const fragments: ContextFragment[] = [];
        for (const { hook, value } of results) {
          for (const fragment of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
            fragments.push({ ...fragment, source: fragment.source ?? hook.pluginId });
          }
        }
        turn.note('merged', mergeFragments(fragments, budget, builder));
      });
    }

    const history = await timed(turn, 'HISTORY_FILTER', async () => {
      let messages = turn.request.messages;
      if (turn.decisions.skip_history) {
        const lastUser = messages.findLastIndex((m) => m.role === 'user');
        messages = lastUser >= 0 ? messages.slice(lastUser) : messages;
      }
      return (await runWaterfall('HISTORY_FILTER', rt.table.HISTORY_FILTER, messages, turn)).value;
    });

    assembly = await timed(turn, 'MESSAGE_ASSEMBLY', async () => {
      const system = builder.build();
      const messages: ChatMessage[] = system ? [{ role: 'system', content: system }, ...history] : [...history];
      const adapter = rt.adapters.get(turn.setting<string>('adapter', ''));
      const params = adapter?.stop?.length
        ? { ...turn.request.params, stop: [...(turn.request.params.stop ?? []), ...adapter.stop] }
        : turn.request.params;
      const initial: Assembly = { model: turn.model as ModelSpec, messages, tools: turn.request.tools, params };
      return (await runWaterfall('MESSAGE_ASSEMBLY', rt.table.MESSAGE_ASSEMBLY, initial, turn)).value;
    });
  } catch (error) {
    const failure = toLlmbError(error, 'LLMB_ERR_INTERNAL', { stage: turn.stage });
    void finishTurn(recorder, turn.signal.aborted ? 'aborted' : 'error', failure);
    throw failure;
  }
  recorder.messages = assembly.messages;
  return {
    requestId,
    model: turn.model,
    bot,
    events: runExecute(rt, recorder, assembly),
    done: recorder.done,
  };
}

function bailStream(recorder: TurnRecorder, bail: Bail): TurnStream {
  const { turn } = recorder;
  async function* events() {
    try {
      for (const event of replyEvents(bail.reply)) {
        record(recorder, event);
        yield event;
      }
    } finally {
      void finishTurn(recorder, 'ok');
    }
  }
  return { requestId: turn.requestId, model: undefined, bot: turn.bot, events: events(), done: recorder.done };
}

export type { LlmbError };
