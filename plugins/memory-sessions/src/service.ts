import { randomUUID } from 'node:crypto';
import { createError, type BotRegistry, type Logger } from '@llm-bawt/sdk';
import { isUuid, type Database, type Sql } from '@llm-bawt/plugin-store-postgres';
import type { Rotation, Session, SessionScope, SessionsService, SessionStatus, SessionSummarizer } from './types.js';

const COLUMNS = `id::text AS id, bot_id, user_id, status, title,
(extract(epoch from started_at) * 1000)::float8 AS started_at, (extract(epoch from ended_at) * 1000)::float8 AS ended_at, metadata`;
const SCOPE = 'bot_id = ? AND user_id = ?';
const STATUSES: readonly SessionStatus[] = ['active', 'archived', 'deleted'];

interface SessionRow {
  id: string;
  bot_id: string;
  user_id: string;
  status: SessionStatus;
  title: string | null;
  started_at: number;
  ended_at: number | null;
  metadata: Record<string, unknown> | null;
}

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  botId: row.bot_id,
  userId: row.user_id,
  status: row.status,
  title: row.title,
  startedAt: new Date(Math.round(row.started_at)),
  endedAt: row.ended_at === null ? null : new Date(Math.round(row.ended_at)),
  metadata: row.metadata ?? {},
});

function encodeCursor(session: Session): string {
  return Buffer.from(`${session.startedAt.getTime()}|${session.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: string; id: string } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!ms || !/^\d+$/.test(ms) || !isUuid(id)) throw createError('LLMB_ERR_INVALID_REQUEST', "'cursor' is not a cursor this server returned", { param: 'cursor' });
  return { startedAt: new Date(Number(ms)).toISOString(), id };
}

async function one(sql: Sql, statement: string, params: readonly unknown[]): Promise<Session | undefined> {
  const row = await sql.one<SessionRow>(statement, params);
  return row ? toSession(row) : undefined;
}

const activeOf = (sql: Sql, scope: SessionScope) => one(sql, `SELECT ${COLUMNS} FROM sessions WHERE ${SCOPE} AND status = 'active'`, [scope.botId, scope.userId]);

/** Inserts an active session unless one exists (the partial unique index decides races). */
const insertActive = (sql: Sql, scope: SessionScope, fields: { title?: string | undefined; metadata: Record<string, unknown> }) =>
  one(
    sql,
    `INSERT INTO sessions (id, bot_id, user_id, status, title, started_at, metadata) VALUES (?, ?, ?, 'active', ?, ?::timestamptz, ?::jsonb)
ON CONFLICT (bot_id, user_id) WHERE status = 'active' DO NOTHING
RETURNING ${COLUMNS}`,
    [randomUUID(), scope.botId, scope.userId, fields.title ?? null, new Date().toISOString(), JSON.stringify(fields.metadata)],
  );

export interface SessionsServiceDeps {
  db: Database;
  bots: BotRegistry;
  /** memory-summaries, when loaded: sessions are summarized before they are archived. */
  summarizer: SessionSummarizer | undefined;
  logger: Logger;
}

export function createSessionsService({ db, bots, summarizer, logger }: SessionsServiceDeps): SessionsService {
  /** Refuses writes for unknown bots and bots without memory (they write nothing). */
  const requireMemory = (botId: string) => {
    const bot = bots.get(botId);
    if (!bot) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${botId}' does not exist`, { param: 'bot_id' });
    if (!bot.requires_memory) throw createError('LLMB_ERR_INVALID_REQUEST', `The bot '${botId}' keeps no memory (requires_memory: false), so it has no sessions`, { param: 'bot_id' });
  };

  async function summarize(scope: SessionScope, session: Session, signal?: AbortSignal): Promise<string[]> {
    if (!summarizer) return [];
    try {
      const made = await summarizer.summarize(scope, { sessionId: session.id, ...(signal ? { signal } : {}) });
      return made.map((summary) => summary.id);
    } catch (error) {
      // A session is archived even when its summary fails: rotating must always work.
      logger.warn(`summarizing session ${session.id} failed: ${(error as Error).message}`, { bot: scope.botId });
      return [];
    }
  }

  async function rotateFrom(
    scope: SessionScope,
    current: Session | undefined,
    options: { title?: string | undefined; metadata?: Record<string, unknown> | undefined; summarize?: boolean | undefined; signal?: AbortSignal | undefined },
  ): Promise<Rotation> {
    const summaryIds = current && options.summarize !== false ? await summarize(scope, current, options.signal) : [];
    const now = new Date().toISOString();
    return db.transaction(async (sql) => {
      const archived = current
        ? await one(
            sql,
            `UPDATE sessions SET status = 'archived', ended_at = ?::timestamptz, metadata = metadata || ?::jsonb WHERE id = ? AND ${SCOPE} AND status = 'active' RETURNING ${COLUMNS}`,
            [now, JSON.stringify(summaryIds.length > 0 ? { summary_ids: summaryIds } : {}), current.id, scope.botId, scope.userId],
          )
        : undefined;
      const metadata = {
        ...options.metadata,
        ...(options.title ? { title_source: 'user' } : {}),
        ...(current ? { predecessor: current.id } : {}),
      };
      // A concurrent rotation or first turn may have opened the successor already: use it.
      const active = (await insertActive(sql, scope, { title: options.title, metadata })) ?? (await activeOf(sql, scope));
      if (!active) throw createError('LLMB_ERR_CONFLICT', 'the active session changed while rotating; try again');
      if (archived && active.metadata.predecessor === archived.id) {
        await sql.run(`UPDATE sessions SET metadata = metadata || ?::jsonb WHERE id = ?`, [JSON.stringify({ successor: active.id }), archived.id]);
        archived.metadata = { ...archived.metadata, successor: active.id };
      }
      return { ...(archived ? { archived } : {}), active, summaryIds };
    });
  }

  const service: SessionsService = {
    async list(scope, options = {}) {
      const statuses = options.status === undefined ? ['active', 'archived'] : [options.status].flat().filter((s) => STATUSES.includes(s));
      if (statuses.length === 0) return { sessions: [] };
      const limit = Math.min(200, Math.max(1, Math.trunc(options.limit ?? 20)));
      const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
      const rows = await db.sql().all<SessionRow>(
        `SELECT ${COLUMNS} FROM sessions WHERE ${SCOPE} AND status IN (${statuses.map(() => '?').join(', ')})${cursor ? ' AND (started_at, id) < (?::timestamptz, ?::uuid)' : ''}
ORDER BY sessions.started_at DESC, sessions.id DESC LIMIT ?`,
        [scope.botId, scope.userId, ...statuses, ...(cursor ? [cursor.startedAt, cursor.id] : []), limit + 1],
      );
      const sessions = rows.slice(0, limit).map(toSession);
      const last = sessions.at(-1);
      return rows.length > limit && last ? { sessions, nextCursor: encodeCursor(last) } : { sessions };
    },

    async get(scope, id) {
      if (!isUuid(id)) return undefined;
      return one(db.sql(), `SELECT ${COLUMNS} FROM sessions WHERE id = ? AND ${SCOPE}`, [id, scope.botId, scope.userId]);
    },

    async resolve(scope, id, param = 'session_id') {
      const session = await service.get(scope, id);
      // Another user's or bot's session is indistinguishable from one that does not exist.
      if (!session) throw createError('LLMB_ERR_NOT_FOUND', `No session '${id}' for this bot and user`, { param });
      if (session.status === 'deleted') throw createError('LLMB_ERR_GONE', `The session '${id}' was deleted`, { param });
      return session;
    },

    getActive: (scope) => activeOf(db.sql(), scope),

    async getOrCreateActive(scope) {
      requireMemory(scope.botId);
      const sql = db.sql();
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const session = (await activeOf(sql, scope)) ?? (await insertActive(sql, scope, { metadata: {} }));
        if (session) return session;
      }
      throw createError('LLMB_ERR_CONFLICT', 'the active session kept changing; try again');
    },

    async create(scope, options = {}) {
      requireMemory(scope.botId);
      if (options.activate !== false) {
        const rotation = await rotateFrom(scope, await service.getActive(scope), { title: options.title, metadata: options.metadata, signal: options.signal });
        return { session: rotation.active, ...(rotation.archived ? { archived: rotation.archived } : {}), summaryIds: rotation.summaryIds };
      }
      const session = await one(
        db.sql(),
        `INSERT INTO sessions (id, bot_id, user_id, status, title, started_at, metadata) VALUES (?, ?, ?, 'archived', ?, ?::timestamptz, ?::jsonb) RETURNING ${COLUMNS}`,
        [randomUUID(), scope.botId, scope.userId, options.title ?? null, new Date().toISOString(), JSON.stringify({ ...options.metadata, ...(options.title ? { title_source: 'user' } : {}) })],
      );
      return { session: session as Session, summaryIds: [] };
    },

    async rotate(scope, options = {}) {
      requireMemory(scope.botId);
      let current: Session | undefined;
      if (options.sessionId !== undefined) {
        current = await service.resolve(scope, options.sessionId, 'id');
        if (current.status !== 'active') throw createError('LLMB_ERR_CONFLICT', `The session '${current.id}' is ${current.status}; only the active session can be rotated`, { param: 'id' });
      } else {
        current = await service.getActive(scope);
      }
      return rotateFrom(scope, current, options);
    },

    async close(scope, id) {
      await service.resolve(scope, id, 'id');
      return (await one(
        db.sql(),
        `UPDATE sessions SET status = 'archived', ended_at = coalesce(ended_at, ?::timestamptz) WHERE id = ? AND ${SCOPE} RETURNING ${COLUMNS}`,
        [new Date().toISOString(), id, scope.botId, scope.userId],
      )) as Session;
    },

    async delete(scope, id) {
      const session = await service.get(scope, id);
      if (!session) throw createError('LLMB_ERR_NOT_FOUND', `No session '${id}' for this bot and user`, { param: 'id' });
      if (session.status === 'deleted') return session;
      return (await one(
        db.sql(),
        `UPDATE sessions SET status = 'deleted', ended_at = coalesce(ended_at, ?::timestamptz) WHERE id = ? AND ${SCOPE} RETURNING ${COLUMNS}`,
        [new Date().toISOString(), id, scope.botId, scope.userId],
      )) as Session;
    },

    async setTitle(scope, id, title, source) {
      if (!isUuid(id)) return false;
      const onlyUntitled = source === 'auto' ? ' AND title IS NULL' : '';
      const changed = await db.sql().run(
        `UPDATE sessions SET title = ?, metadata = metadata || ?::jsonb WHERE id = ? AND ${SCOPE}${onlyUntitled}`,
        [title, JSON.stringify({ title_source: source }), id, scope.botId, scope.userId],
      );
      return changed > 0;
    },
  };
  return service;
}
