import { randomUUID } from 'node:crypto';
import { createError, type BotRegistry, type EventBus } from '@llm-bawt/sdk';
import { isUuid, type Database, type Sql } from '@llm-bawt/plugin-store-postgres';
import { COPIED_COLUMNS, decodeCursor, encodeCursor, epochMs, MESSAGE_COLUMNS, toMessage, type MessageRow } from './rows.js';
import { substringSearch, textSearch } from './search.js';
import { countTokens, MESSAGE_OVERHEAD_TOKENS } from './tokens.js';
import type { HistoryScope, HistoryService, HistorySummaries } from './types.js';

/** Topic published when messages are forgotten, so layers derived from them can follow. @public */
export const FORGOTTEN_TOPIC = 'memory-history.forgotten';

const clampInt = (value: number | undefined, fallback: number, max: number) => Math.min(max, Math.max(1, Math.trunc(value ?? fallback)));
const SCOPE = 'bot_id = ? AND user_id = ?';
const scopeParams = (scope: HistoryScope) => [scope.botId, scope.userId];
/** At most this many of the newest unsummarized rows are considered for one turn's history. */
const WINDOW_ROWS = 2_000;

export interface HistoryServiceDeps {
  db: Database;
  bots: BotRegistry;
  bus?: EventBus | undefined;
}

/** Refuses writes for unknown bots and bots without memory (they write nothing). */
export function requireMemoryBot(bots: BotRegistry, botId: string): void {
  const bot = bots.get(botId);
  if (!bot) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${botId}' does not exist`, { param: 'bot_id' });
  if (!bot.requires_memory) throw createError('LLMB_ERR_INVALID_REQUEST', `The bot '${botId}' keeps no memory (requires_memory: false), so it has no history`, { param: 'bot_id' });
}

/** Oldest first; `seq` orders rows written in the same millisecond. */
const chronological = (a: MessageRow, b: MessageRow) => a.created_at - b.created_at || a.seq - b.seq;
const inList = (ids: readonly string[]) => ids.map(() => '?').join(', ');
const sessionFilter = (sessionId: string | undefined) => (sessionId === undefined ? { sql: '', params: [] } : { sql: ' AND session_id = ?', params: [sessionId] });

export function createHistoryService({ db, bots, bus }: HistoryServiceDeps): HistoryService {
  let summaries: HistorySummaries | undefined;
  let trigram: Promise<boolean> | undefined;
  const hasTrigram = (sql: Sql) =>
    (trigram ??= sql.one<{ n: number }>("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_trgm'").then((row) => (row?.n ?? 0) > 0));

  const select = async (where: string, params: readonly unknown[], tail = 'ORDER BY created_at, seq') =>
    (await db.sql().all<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${where} ${tail}`, params)).map(toMessage);

  /** Moves the picked rows of `messages` to `forgotten_messages` in one statement. */
  const forget = async (scope: HistoryScope, picked: string, params: readonly unknown[]) => {
    const rows = await db.sql().all<MessageRow>(
      `WITH picked AS (${picked}),
moved AS (DELETE FROM messages m USING picked WHERE m.id = picked.id RETURNING m.*)
INSERT INTO forgotten_messages (${COPIED_COLUMNS}, forgotten_at)
SELECT ${COPIED_COLUMNS}, ?::timestamptz FROM moved
RETURNING ${MESSAGE_COLUMNS}, ${epochMs('forgotten_at')}`,
      [...params, new Date().toISOString()],
    );
    const messages = rows.sort(chronological).map(toMessage);
    if (messages.length > 0) bus?.publish(FORGOTTEN_TOPIC, { ...scope, ids: messages.map((m) => m.id) });
    return messages;
  };

  const service: HistoryService = {
    async add(scope, messages) {
      requireMemoryBot(bots, scope.botId);
      if (messages.length === 0) return [];
      const values: unknown[] = [];
      for (const [index, message] of messages.entries()) {
        if (message.id !== undefined && !isUuid(message.id)) {
          throw createError('LLMB_ERR_INVALID_REQUEST', `message id '${message.id}' is not a UUID`, { param: `messages[${index}].id` });
        }
        values.push(
          message.id ?? randomUUID(),
          scope.botId,
          scope.userId,
          message.sessionId ?? null,
          message.role,
          message.content,
          countTokens(message.content) + MESSAGE_OVERHEAD_TOKENS,
          (message.createdAt ?? new Date()).toISOString(),
          JSON.stringify(message.attachments ?? []),
          message.reasoning ?? null,
        );
      }
      const rows = await db.sql().all<MessageRow>(
        `INSERT INTO messages (id, bot_id, user_id, session_id, role, content, tokens, created_at, attachments, reasoning)
VALUES ${messages.map(() => '(?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, ?)').join(', ')}
ON CONFLICT DO NOTHING
RETURNING ${MESSAGE_COLUMNS}`,
        values,
      );
      return rows.map(toMessage);
    },

    async get(scope, options = {}) {
      const limit = clampInt(options.limit, 50, 500);
      const session = sessionFilter(options.sessionId);
      const cursor = options.before === undefined ? undefined : decodeCursor(options.before);
      const rows = await db.sql().all<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${SCOPE}${session.sql}${cursor ? ' AND (created_at, seq) < (?::timestamptz, ?)' : ''}
ORDER BY created_at DESC, seq DESC LIMIT ?`,
        [...scopeParams(scope), ...session.params, ...(cursor ? [cursor.createdAt, cursor.seq] : []), limit + 1],
      );
      const page = rows.slice(0, limit).reverse();
      const oldest = page[0];
      return { messages: page.map(toMessage), ...(rows.length > limit && oldest ? { before: encodeCursor(oldest) } : {}) };
    },

    async getById(scope, id) {
      if (!isUuid(id)) return undefined;
      return (await select(`${SCOPE} AND id = ?`, [...scopeParams(scope), id]))[0];
    },

    async getByIds(scope, ids) {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      return select(`${SCOPE} AND id IN (${inList(valid)})`, [...scopeParams(scope), ...valid]);
    },

    async recent(scope, options = {}) {
      const session = sessionFilter(options.sessionId);
      const role = options.role === undefined ? { sql: '', params: [] } : { sql: ' AND role = ?', params: [options.role] };
      const rows = await select(`${SCOPE}${session.sql}${role.sql}`, [...scopeParams(scope), ...session.params, ...role.params, clampInt(options.limit, 10, 500)], 'ORDER BY created_at DESC, seq DESC LIMIT ?');
      return rows.reverse();
    },

    async search(scope, search) {
      const limit = clampInt(search.limit, 10, 100);
      const sql = db.sql();
      const mode = search.mode ?? 'auto';
      if (mode === 'text') return textSearch(sql, scope, search, limit);
      if (mode === 'substring') return substringSearch(sql, scope, search, limit, await hasTrigram(sql));
      const text = await textSearch(sql, scope, search, limit);
      return text.length > 0 ? text : substringSearch(sql, scope, search, limit, await hasTrigram(sql));
    },

    async around(scope, messageId, options = {}) {
      const anchor = await service.getById(scope, messageId);
      if (!anchor) return undefined;
      const before = Math.min(100, Math.max(0, Math.trunc(options.before ?? 5)));
      const after = Math.min(100, Math.max(0, Math.trunc(options.after ?? 5)));
      const same = `${SCOPE} AND session_id IS NOT DISTINCT FROM ?`;
      const anchorKey = '(SELECT created_at, seq FROM messages WHERE id = ?)';
      const params = [...scopeParams(scope), anchor.sessionId, messageId];
      const older = before === 0 ? [] : await select(`${same} AND (created_at, seq) < ${anchorKey}`, [...params, before], 'ORDER BY created_at DESC, seq DESC LIMIT ?');
      const newer = after === 0 ? [] : await select(`${same} AND (created_at, seq) > ${anchorKey}`, [...params, after], 'ORDER BY created_at, seq LIMIT ?');
      return [...older.reverse(), anchor, ...newer];
    },

    async window(scope, { sessionId, budgetTokens }) {
      const sql = db.sql();
      const where = `${SCOPE} AND session_id IS NOT DISTINCT FROM ? AND NOT summarized`;
      const params = [...scopeParams(scope), sessionId ?? null];
      const rows = await sql.all<MessageRow & { total: number }>(
        `WITH recent AS (
  SELECT * FROM messages WHERE ${where} ORDER BY created_at DESC, seq DESC LIMIT ${WINDOW_ROWS}
), w AS (
  SELECT recent.*, sum(tokens) OVER (ORDER BY created_at DESC, seq DESC) AS running, count(*) OVER () AS total FROM recent
)
SELECT ${MESSAGE_COLUMNS}, total::int AS total FROM w WHERE running <= ? ORDER BY w.created_at, w.seq`,
        [...params, Math.max(0, Math.floor(budgetTokens))],
      );
      if (rows.length > 0) return { messages: rows.map(toMessage), dropped: (rows[0]?.total ?? rows.length) - rows.length };
      const count = await sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE ${where}`, params);
      return { messages: [], dropped: count?.n ?? 0 };
    },

    forgetLast(scope, count, options = {}) {
      const session = sessionFilter(options.sessionId);
      return forget(scope, `SELECT id FROM messages WHERE ${SCOPE}${session.sql} ORDER BY created_at DESC, seq DESC LIMIT ?`, [
        ...scopeParams(scope),
        ...session.params,
        clampInt(count, 1, 10_000),
      ]);
    },

    forgetRecent(scope, minutes, options = {}) {
      const session = sessionFilter(options.sessionId);
      const since = new Date(Date.now() - Math.max(0, minutes) * 60_000).toISOString();
      return forget(scope, `SELECT id FROM messages WHERE ${SCOPE}${session.sql} AND created_at >= ?::timestamptz`, [...scopeParams(scope), ...session.params, since]);
    },

    async forgetByIds(scope, ids) {
      const valid = [...new Set(ids.filter(isUuid))];
      if (valid.length === 0) return [];
      return forget(scope, `SELECT id FROM messages WHERE ${SCOPE} AND id IN (${inList(valid)})`, [...scopeParams(scope), ...valid]);
    },

    async restore(scope, which) {
      let picked: string;
      let params: unknown[];
      if ('ids' in which) {
        const valid = [...new Set(which.ids.filter(isUuid))];
        if (valid.length === 0) return [];
        picked = `SELECT id FROM forgotten_messages WHERE ${SCOPE} AND id IN (${inList(valid)})`;
        params = [...scopeParams(scope), ...valid];
      } else {
        picked = `SELECT id FROM forgotten_messages WHERE ${SCOPE} ORDER BY forgotten_at DESC, seq DESC LIMIT ?`;
        params = [...scopeParams(scope), clampInt(which.last, 1, 10_000)];
      }
      const rows = await db.sql().all<MessageRow>(
        `WITH picked AS (${picked}),
moved AS (DELETE FROM forgotten_messages f USING picked WHERE f.id = picked.id RETURNING f.*)
INSERT INTO messages (${COPIED_COLUMNS}) SELECT ${COPIED_COLUMNS} FROM moved
ON CONFLICT DO NOTHING
RETURNING ${MESSAGE_COLUMNS}`,
        params,
      );
      return rows.sort(chronological).map(toMessage);
    },

    forSummary(scope, options = {}) {
      if (options.sessionId === undefined) return select(`${SCOPE} AND NOT summarized`, scopeParams(scope));
      return select(`${SCOPE} AND NOT summarized AND session_id IS NOT DISTINCT FROM ?`, [...scopeParams(scope), options.sessionId]);
    },

    async markSummarized(scope, ids, summarized, sql = db.sql()) {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return 0;
      return sql.run(`UPDATE messages SET summarized = ? WHERE ${SCOPE} AND id IN (${inList(valid)})`, [summarized, ...scopeParams(scope), ...valid]);
    },

    async unsummarizedTokens(scope) {
      const row = await db.sql().one<{ n: number }>(`SELECT coalesce(sum(tokens), 0)::int AS n FROM messages WHERE ${SCOPE} AND NOT summarized`, scopeParams(scope));
      return row?.n ?? 0;
    },

    attachSummaries(source) {
      summaries = source;
    },

    get summaries() {
      return summaries;
    },
  };
  return service;
}
