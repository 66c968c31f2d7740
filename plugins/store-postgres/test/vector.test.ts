import { definePlugin } from '@llm-bawt/sdk';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosineDistanceSql,
  EMBEDDING_DIMENSIONS,
  fromVectorLiteral,
  hnswCosineIndexSql,
  nearestSql,
  storeRef,
  toVectorLiteral,
  vectorColumnSql,
  vectorProperty,
  type Store,
} from '../src/index.js';
import { EntitySchema } from '../src/mikro.js';
import { backends, bootHost } from './backends.js';

interface Memory {
  id: number;
  botId: string;
  content: string;
  embedding: number[];
}

const MemoryEntity = new EntitySchema<Memory>({
  name: 'VectorProbeMemory',
  tableName: 'vector_probe_memories',
  properties: {
    id: { type: 'integer', primary: true },
    botId: { type: 'text' },
    content: { type: 'text' },
    embedding: vectorProperty(),
  },
});

const memoryPlugin = definePlugin({
  id: 'vector-probe',
  version: '0.1.0',
  sdk: '^0.1.0',
  contributes: {
    entities: [MemoryEntity],
    migrations: [
      {
        id: '0001-memories',
        up: [
          `CREATE TABLE vector_probe_memories (id integer PRIMARY KEY, bot_id text NOT NULL, content text NOT NULL, embedding ${vectorColumnSql()} NOT NULL)`,
          hnswCosineIndexSql('vector_probe_memories', 'embedding'),
        ],
      },
    ],
  },
});

/** Deterministic pseudo-random unit vectors (mulberry32). */
function vectors(count: number, seed: number): number[][] {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const v = Array.from({ length: EMBEDDING_DIMENSIONS }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const cosineDistance = (a: number[], b: number[]) => 1 - a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

describe('vector helpers (no database)', () => {
  it('round-trips numbers through pgvector text and checks dimensions', () => {
    expect(toVectorLiteral([0.5, -1, 2e-7])).toBe('[0.5,-1,2e-7]');
    expect(fromVectorLiteral('[0.5,-1,2e-07]')).toEqual([0.5, -1, 2e-7]);
    expect(fromVectorLiteral('[]')).toEqual([]);
    expect(() => toVectorLiteral([1, 2], 3)).toThrow(/3 dimensions/);
    expect(() => toVectorLiteral([1, Number.NaN])).toThrow(/finite/);
  });

  it('builds HNSW and distance SQL and refuses identifiers that are not plain names', () => {
    expect(hnswCosineIndexSql('memories', 'embedding')).toBe('CREATE INDEX IF NOT EXISTS "memories_embedding_hnsw" ON "memories" USING hnsw ("embedding" vector_cosine_ops)');
    expect(hnswCosineIndexSql('m', 'e', { name: 'idx', m: 24, efConstruction: 100 })).toBe('CREATE INDEX IF NOT EXISTS "idx" ON "m" USING hnsw ("e" vector_cosine_ops) WITH (m = 24, ef_construction = 100)');
    expect(cosineDistanceSql('embedding')).toBe('"embedding" <=> ?::vector');
    expect(nearestSql({ table: 'm', column: 'e', vector: new Float32Array([0.5, 1]), limit: 3, columns: ['id'], where: { sql: 'bot_id = ?', params: ['nova'] } })).toEqual({
      sql: 'SELECT "id", "e" <=> ?::vector AS distance FROM "m" WHERE bot_id = ? ORDER BY distance LIMIT 3',
      params: ['[0.5,1]', 'nova'],
    });
    expect(() => hnswCosineIndexSql('memories; DROP TABLE bots', 'embedding')).toThrow(/identifier/);
    expect(vectorColumnSql()).toBe('vector(384)');
    expect(vectorProperty().columnType).toBe('vector(384)');
  });
});

describe.each(backends)('vectors on $name', (backend) => {
  let host: TestHost;
  let store: Store;
  const data = vectors(300, 42);
  beforeAll(async () => {
    host = await bootHost(backend, { plugins: [memoryPlugin], ephemeral: true });
    store = host.get(storeRef);
    const em = store.em();
    data.forEach((embedding, id) => em.create(MemoryEntity, { id, botId: id % 3 === 0 ? 'mira' : 'nova', content: `memory ${id}`, embedding }));
    await em.flush();
  });
  afterAll(async () => {
    await host?.close();
    await backend.cleanup();
  });

  it('carries statements far larger than one TCP chunk (the 300-row insert above was one, too)', async () => {
    const big = 'x'.repeat(1_000_000);
    const rows = (await store.em().getConnection().execute('SELECT length(?) AS n', [big])) as { n: number }[];
    expect(rows[0]?.n).toBe(1_000_000);
  });

  it('stores 384-dimension vectors through the entity type and reads them back', async () => {
    const row = await store.em().findOneOrFail(MemoryEntity, { id: 7 });
    expect(row.embedding).toHaveLength(EMBEDDING_DIMENSIONS);
    row.embedding.forEach((x, i) => expect(x).toBeCloseTo(data[7]?.[i] as number, 6));
  });

  it('finds the nearest neighbours by cosine distance, in exact order', async () => {
    const query = vectors(1, 7)[0] as number[];
    const expected = data
      .map((v, id) => ({ id, distance: cosineDistance(query, v) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 5);
    const found = await store.vector.nearest<{ id: number }>({ table: 'vector_probe_memories', column: 'embedding', vector: query, limit: 5, columns: ['id'], efSearch: 400 });
    expect(found.map((row) => row.id)).toEqual(expected.map((row) => row.id));
    found.forEach((row, i) => expect(row.distance).toBeCloseTo(expected[i]?.distance as number, 4));

    const self = await store.vector.nearest<{ id: number; content: string }>({ table: 'vector_probe_memories', column: 'embedding', vector: data[11] as number[], limit: 1 });
    expect(self[0]).toMatchObject({ id: 11, content: 'memory 11' });
    expect(self[0]?.distance).toBeCloseTo(0, 5);
  });

  it('filters inside the query and plans an HNSW index scan', async () => {
    const found = await store.vector.nearest<{ bot_id: string }>({ table: 'vector_probe_memories', column: 'embedding', vector: data[3] as number[], limit: 10, columns: ['bot_id'], where: { sql: 'bot_id = ?', params: ['mira'] } });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((row) => row.bot_id === 'mira')).toBe(true);

    const plan = await store.em().transactional(async (tx) => {
      const connection = tx.getConnection();
      const ctx = tx.getTransactionContext();
      await connection.execute('SET LOCAL enable_seqscan = off', [], 'run', ctx);
      const query = nearestSql({ table: 'vector_probe_memories', column: 'embedding', vector: data[0] as number[], limit: 5, columns: ['id'] });
      const rows = (await connection.execute(`EXPLAIN ${query.sql}`, query.params, 'all', ctx)) as { 'QUERY PLAN': string }[];
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('vector_probe_memories_embedding_hnsw');
  });
});
