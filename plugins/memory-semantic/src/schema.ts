import { createRequire } from 'node:module';
import type { MigrationDefinition } from '@llm-bawt/sdk';
import { hnswCosineIndexSql, vectorColumnSql, vectorProperty } from '@llm-bawt/plugin-store-postgres';
import type * as Mikro from '@mikro-orm/core';
import type { Memory } from './types.js';

// require(), as store-postgres does: jiti's ESM hooks break MikroORM's CommonJS on import.
const { EntitySchema } = createRequire(import.meta.url)('@mikro-orm/core') as typeof Mikro;

/** A `memories` row as the ORM sees it: a {@link Memory}'s stored fields, with Date times. @public */
export interface MemoryRow extends Pick<Memory, 'id' | 'botId' | 'userId' | 'content' | 'tags' | 'importance' | 'sourceMessageIds' | 'accessCount'> {
  embedding?: number[] | null;
  lastAccessed?: Date | null;
  supersededBy?: string | null;
  supersededAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The `memories` table, for code that prefers the ORM to `semanticRef`. @public */
export const MemoryEntity = new EntitySchema<MemoryRow>({
  name: 'LlmbMemory',
  tableName: 'memories',
  properties: {
    id: { type: 'uuid', primary: true },
    botId: { type: 'text' },
    userId: { type: 'text' },
    content: { type: 'text' },
    tags: { type: 'json', columnType: 'jsonb' },
    importance: { type: 'double' },
    embedding: { ...vectorProperty({ nullable: true }), lazy: true },
    sourceMessageIds: { type: 'json', columnType: 'jsonb' },
    accessCount: { type: 'integer' },
    lastAccessed: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    supersededBy: { type: 'uuid', nullable: true },
    supersededAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

/**
 * `memories` (DESIGN §7). A memory with `superseded_at` set is out of retrieval but kept:
 * `superseded_by` names its successor, or is null when it was deleted or decayed.
 * Importance is double precision so scores computed from stored rows match the formulas.
 */
export const semanticMigrations: MigrationDefinition[] = [
  {
    id: '0001-memories',
    description: 'memories with 384-dimension embeddings, supersede chains and an HNSW cosine index',
    up: [
      `CREATE TABLE memories (
  id uuid PRIMARY KEY,
  bot_id text NOT NULL,
  user_id text NOT NULL,
  content text NOT NULL CHECK (length(content) > 0),
  tags jsonb NOT NULL DEFAULT '["misc"]',
  importance double precision NOT NULL DEFAULT 0.5 CHECK (importance >= 0 AND importance <= 1),
  embedding ${vectorColumnSql()},
  source_message_ids jsonb NOT NULL DEFAULT '[]',
  access_count integer NOT NULL DEFAULT 0,
  last_accessed timestamptz,
  superseded_by uuid,
  superseded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (superseded_by IS NULL OR superseded_at IS NOT NULL)
)`,
      'CREATE INDEX memories_active ON memories (bot_id, user_id, importance DESC, created_at DESC) WHERE superseded_at IS NULL',
      'CREATE INDEX memories_scope_created ON memories (bot_id, user_id, created_at DESC)',
      'CREATE INDEX memories_superseded_by ON memories (superseded_by) WHERE superseded_by IS NOT NULL',
      'CREATE INDEX memories_missing_embedding ON memories (created_at) WHERE embedding IS NULL',
      "CREATE INDEX memories_fts ON memories USING gin (to_tsvector('english', content))",
      'CREATE INDEX memories_tags ON memories USING gin (tags)',
      hnswCosineIndexSql('memories', 'embedding'),
    ],
  },
];
