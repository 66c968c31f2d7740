import type { Sql } from '@llm-bawt/plugin-store-postgres';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './rows.js';
import type { HistoryScope, HistorySearch, SearchHit } from './types.js';

// Words that say "search my history" rather than what to look for (PostgreSQL's english
// configuration already drops the ordinary stop words).
const CONVERSATIONAL = new Set([
  'remember', 'remembered', 'recall', 'talked', 'talk', 'said', 'say', 'told', 'tell', 'mentioned', 'mention',
  'discussed', 'discuss', 'asked', 'ask', 'earlier', 'before', 'previously', 'last', 'time', 'conversation', 'chat',
]);

/** The OR-query of the search's content words, or undefined when none is left. */
export function tsQueryOf(q: string): string | undefined {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = [...new Set(words.filter((word) => !CONVERSATIONAL.has(word)))].slice(0, 16);
  return terms.length > 0 ? terms.join(' | ') : undefined;
}

/** `q` as an ILIKE pattern matching it anywhere, its wildcards taken literally. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filters(scope: HistoryScope, search: HistorySearch): { sql: string; params: unknown[] } {
  const where = ['bot_id = ?', 'user_id = ?'];
  const params: unknown[] = [scope.botId, scope.userId];
  if (search.sessionId !== undefined) {
    where.push('session_id = ?');
    params.push(search.sessionId);
  }
  if (search.role !== undefined) {
    where.push('role = ?');
    params.push(search.role);
  }
  if (search.since !== undefined) {
    where.push('created_at >= ?::timestamptz');
    params.push(search.since.toISOString());
  }
  if (search.until !== undefined) {
    where.push('created_at < ?::timestamptz');
    params.push(search.until.toISOString());
  }
  return { sql: where.join(' AND '), params };
}

type HitRow = MessageRow & { score: number };

const hit = (mode: SearchHit['mode']) => (row: HitRow): SearchHit => ({ ...toMessage(row), score: row.score, mode });

/** Full-text search (english configuration), ranked by ts_rank, then newest first. */
export async function textSearch(sql: Sql, scope: HistoryScope, search: HistorySearch, limit: number): Promise<SearchHit[]> {
  const query = tsQueryOf(search.q);
  if (query === undefined) return [];
  const where = filters(scope, search);
  const rows = await sql.all<HitRow>(
    `SELECT ${MESSAGE_COLUMNS}, ts_rank(to_tsvector('english', content), q)::float8 AS score
FROM messages, to_tsquery('english', ?) AS q
WHERE ${where.sql} AND to_tsvector('english', content) @@ q
ORDER BY score DESC, created_at DESC, seq DESC LIMIT ?`,
    [query, ...where.params, limit],
  );
  return rows.map(hit('text'));
}

/**
 * Substring search (good for identifiers such as `TASK-241`, which full text splits): ILIKE,
 * ranked by pg_trgm similarity when the extension is installed, else newest first.
 */
export async function substringSearch(sql: Sql, scope: HistoryScope, search: HistorySearch, limit: number, trigram: boolean): Promise<SearchHit[]> {
  const q = search.q.trim();
  if (q === '') return [];
  const where = filters(scope, search);
  const score = trigram ? 'similarity(content, ?)::float8' : '1::float8';
  const rows = await sql.all<HitRow>(
    `SELECT ${MESSAGE_COLUMNS}, ${score} AS score
FROM messages
WHERE ${where.sql} AND content ILIKE ? ESCAPE '\\'
ORDER BY score DESC, created_at DESC, seq DESC LIMIT ?`,
    [...(trigram ? [q] : []), ...where.params, likePattern(q), limit],
  );
  return rows.map(hit('substring'));
}
