import type { MigrationDefinition } from '@llm-bawt/sdk';

/** The `sessions` table. Never edit a released migration; add one. */
export const sessionsMigrations: MigrationDefinition[] = [
  {
    id: '0001-sessions',
    description: 'sessions (threads), exactly one active per bot and user',
    up: [
      `CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  bot_id text NOT NULL,
  user_id text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived', 'deleted')),
  title text,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  metadata jsonb NOT NULL DEFAULT '{}'
)`,
      // The rule the whole layer rests on, enforced by the database so that racing turns,
      // rotations and hosts cannot break it.
      "CREATE UNIQUE INDEX sessions_one_active_idx ON sessions (bot_id, user_id) WHERE status = 'active'",
      'CREATE INDEX sessions_scope_idx ON sessions (bot_id, user_id, started_at DESC, id DESC)',
    ],
  },
];
