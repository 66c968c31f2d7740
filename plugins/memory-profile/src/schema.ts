import { createRequire } from 'node:module';
import type { MigrationDefinition } from '@llm-bawt/sdk';
import type * as Mikro from '@mikro-orm/core';

// require(), as store-postgres does: jiti's ESM hooks break MikroORM's CommonJS on import.
const { EntitySchema } = createRequire(import.meta.url)('@mikro-orm/core') as typeof Mikro;

/** Whose attribute it is: a person talking to a bot, or the bot itself. @public */
export type EntityType = 'user' | 'bot';

/** Where an attribute came from. @public */
export type AttributeSource = 'explicit' | 'inferred' | 'system';

/** Attribute categories (reference §5.1). @public */
export const PROFILE_CATEGORIES = ['fact', 'preference', 'personality', 'interest', 'context', 'communication'] as const;

/** One attribute category. @public */
export type ProfileCategory = (typeof PROFILE_CATEGORIES)[number];

/** A `profile_attributes` row as the ORM sees it. @public */
export interface ProfileAttributeRow {
  id: string;
  botId: string;
  entityType: EntityType;
  entityId: string;
  category: string;
  key: string;
  value: unknown;
  confidence: number;
  source: AttributeSource;
  sourceMessageId?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The `profile_attributes` table, for code that prefers the ORM to the service. @public */
export const ProfileAttributeEntity = new EntitySchema<ProfileAttributeRow>({
  name: 'LlmbProfileAttribute',
  tableName: 'profile_attributes',
  properties: {
    id: { type: 'uuid', primary: true },
    botId: { type: 'text' },
    entityType: { type: 'text' },
    entityId: { type: 'text' },
    category: { type: 'text' },
    key: { type: 'text' },
    value: { type: 'json', columnType: 'jsonb' },
    confidence: { type: 'double' },
    source: { type: 'text' },
    sourceMessageId: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

/**
 * `bot_id` scopes every row: a user's attributes belong to the (bot, user) pair, so one bot
 * never sees what another learnt; a bot's own traits have `bot_id = entity_id`.
 */
export const profileMigrations: MigrationDefinition[] = [
  {
    id: '0001-profile-attributes',
    description: 'user and bot profile attributes, scoped by bot',
    up: [
      `CREATE TABLE profile_attributes (
  id uuid PRIMARY KEY,
  bot_id text NOT NULL,
  entity_type text NOT NULL CHECK (entity_type IN ('user', 'bot')),
  entity_id text NOT NULL,
  category text NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  confidence double precision NOT NULL DEFAULT 0.8 CHECK (confidence >= 0 AND confidence <= 1),
  source text NOT NULL DEFAULT 'explicit' CHECK (source IN ('explicit', 'inferred', 'system')),
  source_message_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (entity_type <> 'bot' OR bot_id = entity_id),
  UNIQUE (bot_id, entity_type, entity_id, category, key)
)`,
      'CREATE INDEX profile_attributes_entity ON profile_attributes (bot_id, entity_type, entity_id, confidence DESC)',
    ],
  },
];
