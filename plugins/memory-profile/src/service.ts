import { randomUUID } from 'node:crypto';
import type { Store } from '@llm-bawt/plugin-store-postgres';
import type { AttributeSource, EntityType, ProfileAttributeRow, ProfileCategory } from './schema.js';

/** Whose attributes: a user as one bot knows them, or a bot itself. @public */
export interface ProfileEntity {
  /** The bot the attributes belong to (for a bot entity, the bot itself). */
  botId: string;
  entityType: EntityType;
  entityId: string;
}

/** The user `userId` as bot `botId` knows them. @public */
export const userEntity = (botId: string, userId: string): ProfileEntity => ({ botId, entityType: 'user', entityId: userId });

/** Bot `botId` itself (its developed traits). @public */
export const botEntity = (botId: string): ProfileEntity => ({ botId, entityType: 'bot', entityId: botId });

/** One stored attribute: its row, with times as ISO strings. @public */
export interface ProfileAttribute extends Omit<ProfileAttributeRow, 'sourceMessageId' | 'createdAt' | 'updatedAt'> {
  sourceMessageId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What {@link ProfileService.set} writes. @public */
export interface AttributeInput {
  category: ProfileCategory;
  key: string;
  value: unknown;
  /** 0–1; default 0.8. */
  confidence?: number;
  /** Default `explicit`. An `inferred` value never replaces an `explicit` one. */
  source?: AttributeSource;
  sourceMessageId?: string;
}

/** What {@link ProfileService.set} did. @public */
export interface SetResult {
  attribute: ProfileAttribute;
  /** A new row. */
  created: boolean;
  /** False when an inferred value met an explicit one and was not written. */
  changed: boolean;
}

/** Picks one attribute: by id, or by key (and category). @public */
export type AttributeSelector = { id: string } | { key: string; category?: string };

/** Filters of {@link ProfileService.list}. @public */
export interface ListFilter {
  category?: string;
  /** Case-insensitive substring of the key or the value. */
  query?: string;
  minConfidence?: number;
  /** Default 200. */
  limit?: number;
}

/** The profile store (`profileRef`): every call names the entity, so nothing crosses bots or users. @public */
export interface ProfileService {
  set(entity: ProfileEntity, input: AttributeInput): Promise<SetResult>;
  get(entity: ProfileEntity, selector: AttributeSelector): Promise<ProfileAttribute | undefined>;
  /** Rows deleted (a key without a category deletes it in every category). */
  delete(entity: ProfileEntity, selector: AttributeSelector): Promise<number>;
  list(entity: ProfileEntity, filter?: ListFilter): Promise<ProfileAttribute[]>;
  /** What a turn shows: the user's attributes (as this bot knows them) and the bot's traits, in one query. */
  forTurn(botId: string, userId: string, options?: { limit?: number; minConfidence?: number }): Promise<{ user: ProfileAttribute[]; traits: ProfileAttribute[] }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_KEY = 64;

/** `"Favourite Food"` -> `favourite_food`; undefined when nothing usable is left. @public */
export function normalizeKey(key: string): string | undefined {
  const out = key
    .trim()
    .toLowerCase()
    .replace(/[\s\-/]+/g, '_')
    .replace(/[^\p{L}\p{N}_.]/gu, '')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return out.length > 0 && out.length <= MAX_KEY ? out : undefined;
}

function iso(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

function toAttribute(row: Record<string, unknown>): ProfileAttribute {
  return {
    id: String(row.id),
    botId: String(row.bot_id),
    entityType: row.entity_type as EntityType,
    entityId: String(row.entity_id),
    category: String(row.category),
    key: String(row.key),
    value: row.value,
    confidence: Number(row.confidence),
    source: row.source as AttributeSource,
    sourceMessageId: (row.source_message_id as string | null) ?? null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const SCOPE = 'bot_id = ? AND entity_type = ? AND entity_id = ?';
const scopeParams = (e: ProfileEntity) => [e.botId, e.entityType, e.entityId];

function selectorSql(selector: AttributeSelector): { sql: string; params: unknown[] } | undefined {
  if ('id' in selector) return UUID.test(selector.id) ? { sql: 'id = ?', params: [selector.id] } : undefined;
  const key = normalizeKey(selector.key);
  if (!key) return undefined;
  return selector.category ? { sql: 'key = ? AND category = ?', params: [key, selector.category] } : { sql: 'key = ?', params: [key] };
}

function checkEntity(entity: ProfileEntity): void {
  if (entity.entityType === 'bot' && entity.entityId !== entity.botId) {
    throw new RangeError(`a bot's traits belong to the bot itself (entity ${entity.entityId}, bot ${entity.botId})`);
  }
}

/** The profile service over store-postgres. @public */
export function createProfileService(store: Pick<Store, 'em'>): ProfileService {
  const db = () => store.em().getConnection();
  const rows = async (sql: string, params: unknown[]) => (await db().execute(sql, params, 'all')) as Record<string, unknown>[];

  return {
    async set(entity, input) {
      checkEntity(entity);
      const key = normalizeKey(input.key);
      if (!key) throw new RangeError(`attribute key ${JSON.stringify(input.key)} is empty or longer than ${MAX_KEY} characters`);
      if (input.value === undefined || input.value === null) throw new RangeError('an attribute needs a value (delete it instead)');
      const source = input.source ?? 'explicit';
      const confidence = Math.min(1, Math.max(0, input.confidence ?? 0.8));
      const written = await rows(
        `INSERT INTO profile_attributes (id, bot_id, entity_type, entity_id, category, key, value, confidence, source, source_message_id)
         VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
         ON CONFLICT (bot_id, entity_type, entity_id, category, key) DO UPDATE SET
           value = EXCLUDED.value, confidence = EXCLUDED.confidence, source = EXCLUDED.source,
           source_message_id = EXCLUDED.source_message_id, updated_at = now()
         WHERE NOT (profile_attributes.source = 'explicit' AND EXCLUDED.source = 'inferred')
         RETURNING *, (xmax = 0) AS inserted`,
        [randomUUID(), ...scopeParams(entity), input.category, key, JSON.stringify(input.value), confidence, source, input.sourceMessageId ?? null],
      );
      const row = written[0];
      if (row) return { attribute: toAttribute(row), created: row.inserted === true, changed: true };
      const kept = await rows(`SELECT * FROM profile_attributes WHERE ${SCOPE} AND category = ? AND key = ?`, [...scopeParams(entity), input.category, key]);
      return { attribute: toAttribute(kept[0] as Record<string, unknown>), created: false, changed: false };
    },

    async get(entity, selector) {
      const where = selectorSql(selector);
      if (!where) return undefined;
      const found = await rows(`SELECT * FROM profile_attributes WHERE ${SCOPE} AND ${where.sql} ORDER BY confidence DESC, updated_at DESC LIMIT 1`, [
        ...scopeParams(entity),
        ...where.params,
      ]);
      return found[0] ? toAttribute(found[0]) : undefined;
    },

    async delete(entity, selector) {
      const where = selectorSql(selector);
      if (!where) return 0;
      const result = (await db().execute(`DELETE FROM profile_attributes WHERE ${SCOPE} AND ${where.sql}`, [...scopeParams(entity), ...where.params], 'run')) as {
        affectedRows: number;
      };
      return result.affectedRows;
    },

    async list(entity, filter = {}) {
      const clauses = [SCOPE];
      const params: unknown[] = scopeParams(entity);
      if (filter.category) {
        clauses.push('category = ?');
        params.push(filter.category);
      }
      if (filter.minConfidence !== undefined) {
        clauses.push('confidence >= ?');
        params.push(filter.minConfidence);
      }
      if (filter.query) {
        clauses.push("(key ILIKE ? ESCAPE '\\' OR value::text ILIKE ? ESCAPE '\\')");
        const like = `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        params.push(like, like);
      }
      const limit = Math.max(1, Math.min(1000, Math.trunc(filter.limit ?? 200)));
      const found = await rows(`SELECT * FROM profile_attributes WHERE ${clauses.join(' AND ')} ORDER BY category, confidence DESC, key LIMIT ${limit}`, params);
      return found.map(toAttribute);
    },

    async forTurn(botId, userId, options = {}) {
      const limit = Math.max(1, Math.trunc(options.limit ?? 50));
      const found = await rows(
        `SELECT * FROM (
           SELECT *, row_number() OVER (PARTITION BY entity_type ORDER BY confidence DESC, updated_at DESC) AS rank
           FROM profile_attributes
           WHERE bot_id = ? AND ((entity_type = 'user' AND entity_id = ?) OR (entity_type = 'bot' AND entity_id = ?)) AND confidence >= ?
         ) ranked WHERE rank <= ? ORDER BY entity_type, category, confidence DESC, key`,
        [botId, userId, botId, options.minConfidence ?? 0, limit],
      );
      const all = found.map(toAttribute);
      return { user: all.filter((a) => a.entityType === 'user'), traits: all.filter((a) => a.entityType === 'bot') };
    },
  };
}
