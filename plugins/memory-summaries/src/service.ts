import { randomUUID } from 'node:crypto';
import { createError, type BotRegistry, type LlmCaller, type Logger } from '@llm-bawt/sdk';
import { countTokens, isUuid, type Database, type HistoryScope, type HistoryService, type StoredMessage } from '@llm-bawt/plugin-memory-history';
import type { SummariesConfig } from './config.js';
import { heuristicSummary } from './heuristic.js';
import { acceptSummary, summaryPrompt } from './prompt.js';
import { chunk, overflowGroups, worthSummarizing, type SummaryGroup } from './select.js';
import type { SummariesService, Summary, SummaryMethod } from './types.js';

/** Tokens the `[Previous conversation ...]` line adds to each injected summary. */
export const SUMMARY_HEADER_TOKENS = 24;
/** At most this many recent summaries are considered for one turn. */
const CANDIDATES = 50;

const COLUMNS = `id::text AS id, bot_id, user_id, session_id, content, tokens, message_ids, message_count,
(extract(epoch from period_start) * 1000)::float8 AS period_start, (extract(epoch from period_end) * 1000)::float8 AS period_end,
method, model, (extract(epoch from created_at) * 1000)::float8 AS created_at`;

interface SummaryRow {
  id: string;
  bot_id: string;
  user_id: string;
  session_id: string | null;
  content: string;
  tokens: number;
  message_ids: string[];
  message_count: number;
  period_start: number;
  period_end: number;
  method: SummaryMethod;
  model: string | null;
  created_at: number;
}

const toSummary = (row: SummaryRow): Summary => ({
  id: row.id,
  botId: row.bot_id,
  userId: row.user_id,
  sessionId: row.session_id,
  content: row.content,
  tokens: row.tokens,
  messageIds: row.message_ids,
  messageCount: row.message_count,
  periodStart: new Date(Math.round(row.period_start)),
  periodEnd: new Date(Math.round(row.period_end)),
  method: row.method,
  model: row.model,
  createdAt: new Date(Math.round(row.created_at)),
});

export interface SummariesServiceDeps {
  db: Database;
  history: HistoryService;
  bots: BotRegistry;
  llm: LlmCaller | undefined;
  config: SummariesConfig;
  logger: Logger;
}

const SCOPE = 'bot_id = ? AND user_id = ?';

export function createSummariesService(deps: SummariesServiceDeps): SummariesService {
  const { db, history, bots, llm, logger } = deps;
  // One summarization at a time per bot and user in this process, so two turns ending
  // together cannot summarize the same messages twice.
  const running = new Map<string, Promise<unknown>>();
  const serially = async <T>(scope: HistoryScope, work: () => Promise<T>): Promise<T> => {
    const key = `${scope.botId}\u0000${scope.userId}`;
    const previous = running.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    running.set(key, next);
    try {
      return await next;
    } finally {
      if (running.get(key) === next) running.delete(key);
    }
  };

  /** The summary text: the bot's background model when allowed and usable, else the heuristic. */
  async function write(scope: HistoryScope, messages: StoredMessage[], method: SummaryMethod | 'auto', config: SummariesConfig, signal?: AbortSignal) {
    const bot = bots.get(scope.botId);
    const alias = config.model ?? llm?.modelFor(bot);
    if (method !== 'heuristic' && llm && alias) {
      try {
        const answer = await llm.complete({
          ...(bot ? { bot } : {}),
          model: alias,
          messages: summaryPrompt(messages),
          params: { max_tokens: config.maxTokens, temperature: config.temperature },
          ...(signal ? { signal } : {}),
        });
        const text = acceptSummary(answer.text);
        if (text) return { content: text, method: 'llm' as const, model: answer.model };
        logger.warn('the summary model gave an unusable answer; writing a heuristic summary', { bot: scope.botId, model: answer.model });
      } catch (error) {
        logger.warn(`the summary model failed (${(error as Error).message}); writing a heuristic summary`, { bot: scope.botId, model: alias });
      }
    } else if (method === 'llm') {
      logger.warn('no model is usable for summaries; writing a heuristic summary', { bot: scope.botId });
    }
    return { content: heuristicSummary(messages), method: 'heuristic' as const, model: null };
  }

  async function summarizeGroup(scope: HistoryScope, group: SummaryGroup, method: SummaryMethod | 'auto', config: SummariesConfig, signal?: AbortSignal): Promise<Summary[]> {
    const made: Summary[] = [];
    for (const part of chunk(group.messages, config.chunkTokens)) {
      const text = await write(scope, part, method, config, signal);
      const first = part[0] as StoredMessage;
      const last = part.at(-1) as StoredMessage;
      const ids = part.map((m) => m.id);
      // The summary and its messages' flags are written together or not at all.
      const row = await db.transaction(async (sql) => {
        const inserted = await sql.one<SummaryRow>(
          `INSERT INTO summaries (id, bot_id, user_id, session_id, content, tokens, message_ids, message_count, period_start, period_end, method, model, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::timestamptz, ?::timestamptz, ?, ?, ?::timestamptz)
RETURNING ${COLUMNS}`,
          [
            randomUUID(),
            scope.botId,
            scope.userId,
            group.sessionId,
            text.content,
            countTokens(text.content),
            JSON.stringify(ids),
            part.length,
            first.createdAt.toISOString(),
            last.createdAt.toISOString(),
            text.method,
            text.model,
            new Date().toISOString(),
          ],
        );
        await history.markSummarized(scope, ids, true, sql);
        return inserted;
      });
      if (row) made.push(toSummary(row));
    }
    return made;
  }

  const effective = (override?: Partial<SummariesConfig>): SummariesConfig => ({ ...deps.config, ...override });

  /** Unknown bots are an error; bots without memory have nothing to summarize. */
  const hasMemory = (botId: string) => {
    const bot = bots.get(botId);
    if (!bot) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${botId}' does not exist`, { param: 'bot_id' });
    return bot.requires_memory;
  };

  const service: SummariesService = {
    summarize(scope, options = {}) {
      if (!hasMemory(scope.botId)) return Promise.resolve([]);
      const config = effective(options.config);
      const method = options.method ?? config.method;
      return serially(scope, async () => {
        if (options.sessionId !== undefined) {
          const messages = await history.forSummary(scope, { sessionId: options.sessionId });
          if (!worthSummarizing(messages, config.minMessages)) return [];
          return summarizeGroup(scope, { sessionId: options.sessionId, messages }, method, config, options.signal);
        }
        const groups = overflowGroups(await history.forSummary(scope), config);
        const made: Summary[] = [];
        for (const group of groups) made.push(...(await summarizeGroup(scope, group, method, config, options.signal)));
        return made;
      });
    },

    async maybeSummarize(scope, options = {}) {
      const config = effective(options.config);
      if (!hasMemory(scope.botId) || (await history.unsummarizedTokens(scope)) <= config.triggerTokens) return [];
      return service.summarize(scope, options);
    },

    async forHistory({ botId, userId, budgetTokens, limit = 5 }) {
      if (budgetTokens <= 0 || limit <= 0) return [];
      const rows = await db.sql().all<SummaryRow>(`SELECT ${COLUMNS} FROM summaries WHERE ${SCOPE} ORDER BY period_end DESC, created_at DESC LIMIT ?`, [botId, userId, CANDIDATES]);
      const picked: Summary[] = [];
      let left = budgetTokens;
      for (const summary of rows.map(toSummary)) {
        if (picked.length >= limit) break;
        const cost = summary.tokens + SUMMARY_HEADER_TOKENS;
        if (cost > left) break;
        picked.push(summary);
        left -= cost;
      }
      return picked.reverse();
    },

    async expand(scope, summaryId) {
      const summary = await service.get(scope, summaryId);
      if (!summary) return undefined;
      return { summary, messages: await history.getByIds(scope, summary.messageIds) };
    },

    async list(scope, options = {}) {
      const session = options.sessionId === undefined ? '' : ' AND session_id = ?';
      const rows = await db.sql().all<SummaryRow>(`SELECT ${COLUMNS} FROM summaries WHERE ${SCOPE}${session} ORDER BY period_end DESC, created_at DESC LIMIT ?`, [
        scope.botId,
        scope.userId,
        ...(options.sessionId === undefined ? [] : [options.sessionId]),
        Math.min(500, Math.max(1, Math.trunc(options.limit ?? 50))),
      ]);
      return rows.map(toSummary);
    },

    async get(scope, summaryId) {
      if (!isUuid(summaryId)) return undefined;
      const row = await db.sql().one<SummaryRow>(`SELECT ${COLUMNS} FROM summaries WHERE ${SCOPE} AND id = ?`, [scope.botId, scope.userId, summaryId]);
      return row ? toSummary(row) : undefined;
    },

    async delete(scope, summaryId) {
      if (!isUuid(summaryId)) return false;
      return db.transaction(async (sql) => {
        const row = await sql.one<{ message_ids: string[] }>(`DELETE FROM summaries WHERE ${SCOPE} AND id = ? RETURNING message_ids`, [scope.botId, scope.userId, summaryId]);
        if (!row) return false;
        await history.markSummarized(scope, row.message_ids, false, sql);
        return true;
      });
    },
  };
  return service;
}
