import type { EntityManager, EntityProperty, Platform } from '@mikro-orm/postgresql';
import { Type } from './mikro.js';

/** Dimensions of every llm-bawt embedding (DESIGN §7). @public */
export const EMBEDDING_DIMENSIONS = 384;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;

/** Quotes a table or column name after checking it is a plain identifier (no SQL can slip in). */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`${JSON.stringify(name)} is not a plain SQL identifier`);
  return `"${name}"`;
}

/** Serialises numbers (an array or a Float32Array) into pgvector's text form, `[0.1,0.2,...]`. @public */
export function toVectorLiteral(values: ArrayLike<number>, dimensions?: number): string {
  if (dimensions !== undefined && values.length !== dimensions) {
    throw new RangeError(`expected a vector of ${dimensions} dimensions, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError('a vector may hold finite numbers only');
  }
  return `[${Array.prototype.join.call(values, ',')}]`;
}

/** Parses pgvector's text form back into numbers. @public */
export function fromVectorLiteral(text: string): number[] {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  return inner === '' ? [] : inner.split(',').map(Number);
}

/** MikroORM type for a `vector(n)` column: `number[]` in JavaScript, pgvector text on the wire. @public */
export class VectorType extends Type<number[] | null | undefined, string | null | undefined> {
  constructor(readonly dimensions: number = EMBEDDING_DIMENSIONS) {
    super();
  }

  override convertToDatabaseValue(value: number[] | null | undefined): string | null | undefined {
    return value == null ? value : toVectorLiteral(value, this.dimensions);
  }

  override convertToJSValue(value: string | null | undefined): number[] | null | undefined {
    return value == null ? value : fromVectorLiteral(value);
  }

  override getColumnType(_prop?: EntityProperty, _platform?: Platform): string {
    return `vector(${this.dimensions})`;
  }

  override compareAsType(): string {
    return 'string';
  }
}

/**
 * An EntitySchema property for an embedding column, e.g.
 * `properties: { embedding: vectorProperty() }`. @public
 */
export function vectorProperty(options: { dimensions?: number; nullable?: boolean } = {}) {
  const dimensions = options.dimensions ?? EMBEDDING_DIMENSIONS;
  return {
    type: new VectorType(dimensions),
    columnType: `vector(${dimensions})`,
    nullable: options.nullable ?? false,
  } as const;
}

/** SQL column type of an embedding, for migrations: `vector(384)`. @public */
export function vectorColumnSql(dimensions: number = EMBEDDING_DIMENSIONS): string {
  if (!Number.isInteger(dimensions) || dimensions <= 0) throw new RangeError('vector dimensions must be a positive integer');
  return `vector(${dimensions})`;
}

/** Options of {@link hnswCosineIndexSql}. @public */
export interface HnswOptions {
  /** Index name; default `<table>_<column>_hnsw`. */
  name?: string;
  /** pgvector's `m` (links per node); default 16. */
  m?: number;
  /** pgvector's `ef_construction`; default 64. */
  efConstruction?: number;
}

/** `CREATE INDEX IF NOT EXISTS ... USING hnsw (column vector_cosine_ops)`, for a migration. @public */
export function hnswCosineIndexSql(table: string, column: string, options: HnswOptions = {}): string {
  const name = quoteIdentifier(options.name ?? `${table}_${column}_hnsw`);
  const params: string[] = [];
  if (options.m !== undefined) params.push(`m = ${Math.trunc(options.m)}`);
  if (options.efConstruction !== undefined) params.push(`ef_construction = ${Math.trunc(options.efConstruction)}`);
  const using = `USING hnsw (${quoteIdentifier(column)} vector_cosine_ops)`;
  return `CREATE INDEX IF NOT EXISTS ${name} ON ${quoteIdentifier(table)} ${using}${params.length ? ` WITH (${params.join(', ')})` : ''}`;
}

/** `"column" <=> ?::vector`: cosine distance to a bound vector (knex `?` placeholder). @public */
export function cosineDistanceSql(column: string): string {
  return `${quoteIdentifier(column)} <=> ?::vector`;
}

/** A nearest-neighbour query by cosine distance. @public */
export interface NearestQuery {
  table: string;
  column: string;
  vector: ArrayLike<number>;
  /** Rows to return; default 10. */
  limit?: number;
  /** Columns to return besides `distance`; default all (`*`). */
  columns?: string[];
  /** Extra filter, e.g. `{ sql: 'bot_id = ? AND user_id = ?', params: ['nova', 'u1'] }`. */
  where?: { sql: string; params?: unknown[] };
  /** pgvector `hnsw.ef_search` for this query (higher: better recall, slower). */
  efSearch?: number;
}

/** A row found by {@link nearestByCosine}, with its cosine distance (0 = same direction). @public */
export type NearestRow<T = Record<string, unknown>> = T & { distance: number };

/**
 * The SQL of a nearest-neighbour query (knex `?` placeholders), for composing your own. It
 * orders by the `distance` output column, which PostgreSQL serves from an HNSW cosine index. @public
 */
export function nearestSql(query: NearestQuery): { sql: string; params: unknown[] } {
  const columns = query.columns?.length ? query.columns.map(quoteIdentifier).join(', ') : '*';
  const limit = Math.max(1, Math.trunc(query.limit ?? 10));
  const where = query.where ? ` WHERE ${query.where.sql}` : '';
  return {
    sql: `SELECT ${columns}, ${cosineDistanceSql(query.column)} AS distance FROM ${quoteIdentifier(query.table)}${where} ORDER BY distance LIMIT ${limit}`,
    params: [toVectorLiteral(query.vector), ...(query.where?.params ?? [])],
  };
}

/** Runs a cosine nearest-neighbour query; with an HNSW cosine index, PostgreSQL uses it. @public */
export async function nearestByCosine<T = Record<string, unknown>>(em: EntityManager, query: NearestQuery): Promise<NearestRow<T>[]> {
  const { sql, params } = nearestSql(query);
  if (query.efSearch === undefined) return (await em.getConnection().execute(sql, params)) as NearestRow<T>[];
  return em.transactional(async (tx) => {
    const connection = tx.getConnection();
    const ctx = tx.getTransactionContext();
    await connection.execute(`SET LOCAL hnsw.ef_search = ${Math.max(1, Math.trunc(query.efSearch as number))}`, [], 'run', ctx);
    return (await connection.execute(sql, params, 'all', ctx)) as NearestRow<T>[];
  });
}
