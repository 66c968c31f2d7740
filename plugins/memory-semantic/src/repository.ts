import { randomUUID } from 'node:crypto';
import { fromVectorLiteral, toVectorLiteral } from '@llm-bawt/plugin-store-postgres';
import { CANDIDATE_COLUMNS, MEMORY_COLUMNS, toCandidate, toMemory, uuidArray, type Candidate, type Row, type Sql } from './db.js';
import type { Memory, Scope } from './types.js';

const SCOPE = 'bot_id = ? AND user_id = ?';
const ACTIVE = 'superseded_at IS NULL';
const scopeParams = (scope: Scope) => [scope.botId, scope.userId];

/** A uuid, as ids arrive from HTTP, tools and models. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The first 8+ hex characters of a uuid, as the original API accepted. */
export const ID_PREFIX = /^[0-9a-f]{8}(?:-[0-9a-f]{0,4})*$/i;

/** A row with its cosine distance to a query. */
export type Near = Candidate & { distance: number };

function tagFilter(tags: readonly string[] | undefined, params: unknown[]): string {
  if (!tags || tags.length === 0) return '';
  // Tags are normalised to [a-z0-9_-], so a comma never appears inside one.
  params.push(tags.join(','));
  return " AND jsonb_exists_any(tags, string_to_array(?, ','))";
}

/** Inserts a memory; returns it. */
export async function insertMemory(
  sql: Sql,
  scope: Scope,
  input: { content: string; tags: string[]; importance: number; embedding: number[] | null; sources: string[]; createdAt?: Date; accessCount?: number; id?: string },
): Promise<Memory> {
  const rows = await sql.all(
    `INSERT INTO memories (id, bot_id, user_id, content, tags, importance, embedding, source_message_ids, access_count, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::vector, ?::jsonb, ?, coalesce(?::timestamptz, now()), now())
     RETURNING ${MEMORY_COLUMNS}`,
    [
      input.id ?? randomUUID(),
      ...scopeParams(scope),
      input.content,
      JSON.stringify(input.tags),
      input.importance,
      input.embedding ? toVectorLiteral(input.embedding) : null,
      JSON.stringify(input.sources),
      input.accessCount ?? 0,
      input.createdAt ? input.createdAt.toISOString() : null,
    ],
  );
  return toMemory(rows[0] as Row);
}

/** Options of {@link nearestActive}. */
export interface NearestOptions {
  limit: number;
  minImportance?: number;
  tags?: readonly string[];
  excludeIds?: readonly string[];
  /** pgvector's `hnsw.ef_search` for the query, and its iterative scan (pgvector ≥ 0.8). */
  hnsw?: { efSearch: number; iterative: boolean };
  /** Up to this many memories of at least `coreImportance` come back too, flagged `core`. */
  core?: { limit: number; importance: number };
  /** An exact scan: the distance is computed so the index cannot serve the order. */
  exact?: boolean;
}

/** Active memories of the scope nearest to `vector` (HNSW), plus the core facts when asked. */
export async function nearestActive(sql: Sql, scope: Scope, vector: readonly number[], options: NearestOptions): Promise<{ near: Near[]; core: Near[] }> {
  const literal = toVectorLiteral(vector);
  const params: unknown[] = [literal, ...scopeParams(scope), options.minImportance ?? 0];
  let where = `${SCOPE} AND ${ACTIVE} AND embedding IS NOT NULL AND importance >= ?`;
  where += tagFilter(options.tags, params);
  if (options.excludeIds?.length) {
    where += ' AND NOT (id = ANY(?::uuid[]))';
    params.push(uuidArray(options.excludeIds));
  }
  // `+ 0` hides the operator from the planner, which then sorts every matching row.
  const distance = options.exact ? '(embedding <=> ?::vector) + 0' : 'embedding <=> ?::vector';
  let text = `(SELECT ${CANDIDATE_COLUMNS}, ${distance} AS distance, false AS core FROM memories WHERE ${where} ORDER BY distance LIMIT ${Math.max(1, Math.trunc(options.limit))})`;
  if (options.core) {
    // Core facts are ranked by importance, not nearness, so they ride along in one round trip.
    text += ` UNION ALL (SELECT ${CANDIDATE_COLUMNS}, coalesce(embedding <=> ?::vector, 1) AS distance, true AS core FROM memories
      WHERE ${SCOPE} AND ${ACTIVE} AND importance >= ? ORDER BY importance DESC, created_at DESC LIMIT ${Math.max(1, Math.trunc(options.core.limit))})`;
    params.push(literal, ...scopeParams(scope), options.core.importance);
  }
  const hnsw = options.exact ? undefined : options.hnsw;
  // pgvector reads its scan settings per query: set them for this statement alone, in the same
  // round trip. The iterative scan keeps walking the graph while the scope filter drops rows.
  const settings = hnsw
    ? `SELECT set_config('hnsw.ef_search', '${Math.max(1, Math.trunc(hnsw.efSearch))}', true)${hnsw.iterative ? ", set_config('hnsw.iterative_scan', 'relaxed_order', true)" : ''}`
    : undefined;
  const rows = settings ? await sql.withSettings(settings, text, params) : await sql.all(text, params);
  const near: Near[] = [];
  const core: Near[] = [];
  for (const row of rows) (row.core === true ? core : near).push({ ...toCandidate(row), distance: Number(row.distance) });
  return { near, core };
}

/** Full-text search (English, any of the query's words) over active memories, with `ts_rank`. */
export async function textSearch(sql: Sql, scope: Scope, query: string, options: { limit: number; minImportance?: number; tags?: readonly string[] }): Promise<(Candidate & { rank: number })[]> {
  const params: unknown[] = [query, ...scopeParams(scope), options.minImportance ?? 0];
  const tags = tagFilter(options.tags, params);
  const rows = await sql.all(
    `SELECT ${CANDIDATE_COLUMNS}, ts_rank(to_tsvector('english', content), q) AS rank
     FROM memories, to_tsquery('english', replace(plainto_tsquery('english', ?)::text, '&', '|')) AS q
     WHERE ${SCOPE} AND ${ACTIVE} AND importance >= ?${tags} AND to_tsvector('english', content) @@ q
     ORDER BY rank DESC, importance DESC LIMIT ${Math.max(1, Math.trunc(options.limit))}`,
    params,
  );
  return rows.map((row) => ({ ...toCandidate(row), rank: Number(row.rank) }));
}

/** Active memories of the scope with this exact text, ignoring case. */
export async function findSameText(sql: Sql, scope: Scope, content: string, excludeIds: readonly string[] = []): Promise<Memory | undefined> {
  const rows = await sql.all(
    `SELECT ${MEMORY_COLUMNS} FROM memories WHERE ${SCOPE} AND ${ACTIVE} AND lower(content) = lower(?) AND NOT (id = ANY(?::uuid[])) ORDER BY created_at LIMIT 1`,
    [...scopeParams(scope), content, uuidArray(excludeIds)],
  );
  return rows[0] ? toMemory(rows[0]) : undefined;
}

/** Active memories of the scope whose text starts with `prefix` (case-insensitive). */
export async function findByPrefix(sql: Sql, scope: Scope, prefix: string): Promise<Memory[]> {
  const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await sql.all(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE ${SCOPE} AND ${ACTIVE} AND content ILIKE ? ORDER BY created_at`, [...scopeParams(scope), like]);
  return rows.map(toMemory);
}

/** One memory of the scope by id, or by a unique id prefix of 8+ hex characters. */
export async function getMemory(sql: Sql, scope: Scope, idOrPrefix: string): Promise<Memory | undefined> {
  if (UUID.test(idOrPrefix)) {
    const rows = await sql.all(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE ${SCOPE} AND id = ?`, [...scopeParams(scope), idOrPrefix]);
    return rows[0] ? toMemory(rows[0]) : undefined;
  }
  if (!ID_PREFIX.test(idOrPrefix)) return undefined;
  const rows = await sql.all(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE ${SCOPE} AND id::text LIKE ? ORDER BY created_at LIMIT 2`, [
    ...scopeParams(scope),
    `${idOrPrefix.toLowerCase()}%`,
  ]);
  return rows.length === 1 ? toMemory(rows[0] as Row) : undefined;
}

/** Merges a near-duplicate into `id`: higher importance wins, tags and sources unite. */
export async function mergeInto(sql: Sql, scope: Scope, id: string, change: { importance: number; tags: string[]; sources: string[] }): Promise<Memory | undefined> {
  const rows = await sql.all(
    `UPDATE memories SET importance = GREATEST(importance, ?), tags = ?::jsonb, source_message_ids = ?::jsonb, updated_at = now()
     WHERE ${SCOPE} AND id = ? RETURNING ${MEMORY_COLUMNS}`,
    [change.importance, JSON.stringify(change.tags), JSON.stringify(change.sources), ...scopeParams(scope), id],
  );
  return rows[0] ? toMemory(rows[0]) : undefined;
}

/** Changes tags and importance in place. */
export async function patchInPlace(sql: Sql, scope: Scope, id: string, change: { tags?: string[]; importance?: number }): Promise<Memory | undefined> {
  const rows = await sql.all(
    `UPDATE memories SET tags = coalesce(?::jsonb, tags), importance = coalesce(?::float8, importance), updated_at = now()
     WHERE ${SCOPE} AND id = ? AND ${ACTIVE} RETURNING ${MEMORY_COLUMNS}`,
    [change.tags ? JSON.stringify(change.tags) : null, change.importance ?? null, ...scopeParams(scope), id],
  );
  return rows[0] ? toMemory(rows[0]) : undefined;
}

/** Retires an active memory: superseded by `by`, or deleted when `by` is null. False if it was not active. */
export async function retire(sql: Sql, scope: Scope, id: string, by: string | null): Promise<boolean> {
  return (await sql.run(`UPDATE memories SET superseded_by = ?, superseded_at = now(), updated_at = now() WHERE ${SCOPE} AND id = ? AND ${ACTIVE}`, [by, ...scopeParams(scope), id])) === 1;
}

/** Counts the memories as accessed. */
export async function touch(sql: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql.run('UPDATE memories SET access_count = access_count + 1, last_accessed = now() WHERE id = ANY(?::uuid[])', [uuidArray(ids)]);
}

/** Every memory linked to `id` by supersede, oldest first: what it replaced, itself, what replaced it. */
export async function chainOf(sql: Sql, scope: Scope, id: string): Promise<(Memory & { depth: number })[]> {
  const rows = await sql.all(
    `WITH RECURSIVE back AS (
       SELECT id, superseded_by, 0 AS depth FROM memories WHERE ${SCOPE} AND id = ?
       UNION ALL
       SELECT m.id, m.superseded_by, back.depth - 1 FROM memories m JOIN back ON m.superseded_by = back.id
       WHERE m.bot_id = ? AND m.user_id = ? AND back.depth > -1000
     ), fwd AS (
       SELECT id, superseded_by, 0 AS depth FROM memories WHERE ${SCOPE} AND id = ?
       UNION ALL
       SELECT m.id, m.superseded_by, fwd.depth + 1 FROM memories m JOIN fwd ON m.id = fwd.superseded_by
       WHERE m.bot_id = ? AND m.user_id = ? AND fwd.depth < 1000
     ), linked AS (SELECT id, depth FROM back UNION SELECT id, depth FROM fwd)
     SELECT ${MEMORY_COLUMNS}, linked.depth FROM memories JOIN linked USING (id) ORDER BY linked.depth, created_ms, id`,
    [...scopeParams(scope), id, ...scopeParams(scope), ...scopeParams(scope), id, ...scopeParams(scope)],
  );
  return rows.map((row) => ({ ...toMemory(row), depth: Number(row.depth) }));
}

/** Memories of the scope, newest or most important first. */
export async function listMemories(
  sql: Sql,
  scope: Scope,
  options: { order: 'recent' | 'importance'; limit: number; offset?: number; includeSuperseded?: boolean; minImportance?: number },
): Promise<Memory[]> {
  const order = options.order === 'recent' ? 'created_at DESC, id' : 'importance DESC, created_at DESC, id';
  const rows = await sql.all(
    `SELECT ${MEMORY_COLUMNS} FROM memories WHERE ${SCOPE}${options.includeSuperseded ? '' : ` AND ${ACTIVE}`} AND importance >= ?
     ORDER BY ${order} LIMIT ${Math.max(1, Math.trunc(options.limit))} OFFSET ${Math.max(0, Math.trunc(options.offset ?? 0))}`,
    [...scopeParams(scope), options.minImportance ?? 0],
  );
  return rows.map(toMemory);
}

/** Active memories of the scope with their embeddings, most important first (for consolidation). */
export async function activeWithEmbeddings(sql: Sql, scope: Scope, limit: number): Promise<(Memory & { embedding: number[] | null })[]> {
  const rows = await sql.all(
    `SELECT ${MEMORY_COLUMNS}, embedding::text AS embedding_text FROM memories WHERE ${SCOPE} AND ${ACTIVE}
     ORDER BY importance DESC, created_at, id LIMIT ${Math.max(1, Math.trunc(limit))}`,
    scopeParams(scope),
  );
  return rows.map((row) => ({ ...toMemory(row), embedding: typeof row.embedding_text === 'string' ? fromVectorLiteral(row.embedding_text) : null }));
}

/** Memories (of one scope, or of all) still waiting for an embedding. */
export async function missingEmbeddings(sql: Sql, scope: Scope | undefined, limit: number): Promise<{ id: string; content: string }[]> {
  const where = scope ? ` AND ${SCOPE}` : '';
  const rows = await sql.all(`SELECT id, content FROM memories WHERE embedding IS NULL${where} ORDER BY created_at, id LIMIT ${Math.trunc(limit)}`, scope ? scopeParams(scope) : []);
  return rows.map((row) => ({ id: String(row.id), content: String(row.content) }));
}

/** How many memories (of one scope, or of all) re-embedding has to do: those without a vector, or every one with `all`. */
export async function countToEmbed(sql: Sql, scope: Scope | undefined, all: boolean): Promise<number> {
  const conditions = [...(all ? [] : ['embedding IS NULL']), ...(scope ? [SCOPE] : [])];
  const rows = await sql.all(`SELECT count(*)::int AS n FROM memories${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`, scope ? scopeParams(scope) : []);
  return Number(rows[0]?.n ?? 0);
}

/** Every memory (of one scope, or of all) in id order, a page at a time (for re-embedding everything). */
export async function pageOfMemories(sql: Sql, scope: Scope | undefined, after: string | undefined, limit: number): Promise<{ id: string; content: string }[]> {
  const params: unknown[] = [];
  let where = 'true';
  if (scope) {
    where += ` AND ${SCOPE}`;
    params.push(...scopeParams(scope));
  }
  if (after) {
    where += ' AND id > ?';
    params.push(after);
  }
  const rows = await sql.all(`SELECT id, content FROM memories WHERE ${where} ORDER BY id LIMIT ${Math.trunc(limit)}`, params);
  return rows.map((row) => ({ id: String(row.id), content: String(row.content) }));
}

/** Writes embeddings by id. */
export async function setEmbeddings(sql: Sql, rows: readonly { id: string; embedding: readonly number[] }[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(() => '(?::uuid, ?::vector)').join(', ');
  await sql.run(
    `UPDATE memories AS m SET embedding = v.embedding FROM (VALUES ${values}) AS v(id, embedding) WHERE m.id = v.id`,
    rows.flatMap((row) => [row.id, toVectorLiteral(row.embedding)]),
  );
}

/** Active memories (of one scope, or all) with importance and age, for decay pruning. */
export async function activeForDecay(sql: Sql, scope: Scope | undefined): Promise<{ id: string; botId: string; userId: string; content: string; importance: number; createdMs: number }[]> {
  const rows = await sql.all(
    `SELECT id, bot_id, user_id, content, importance, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms
     FROM memories WHERE ${ACTIVE}${scope ? ` AND ${SCOPE}` : ''} ORDER BY created_at, id`,
    scope ? scopeParams(scope) : [],
  );
  return rows.map((row) => ({
    id: String(row.id),
    botId: String(row.bot_id),
    userId: String(row.user_id),
    content: String(row.content),
    importance: Number(row.importance),
    createdMs: Number(row.created_ms),
  }));
}

/** Retires many memories at once (decay). */
export async function retireMany(sql: Sql, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return sql.run(`UPDATE memories SET superseded_at = now(), updated_at = now() WHERE id = ANY(?::uuid[]) AND ${ACTIVE}`, [uuidArray(ids)]);
}

/** Retires the active memories of the scope derived from any of these messages (they were forgotten). */
export async function retireBySources(sql: Sql, scope: Scope, messageIds: readonly string[]): Promise<number> {
  const ids = messageIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return 0;
  return sql.run(`UPDATE memories SET superseded_at = now(), updated_at = now() WHERE ${SCOPE} AND ${ACTIVE} AND jsonb_exists_any(source_message_ids, string_to_array(?, ','))`, [
    ...scopeParams(scope),
    ids.join(','),
  ]);
}
