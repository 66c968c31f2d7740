import type { MigrationDefinition } from '@llm-bawt/sdk';

/** The `summaries` table. Never edit a released migration; add one. */
export const summariesMigrations: MigrationDefinition[] = [
  {
    id: '0001-summaries',
    description: 'rolling summaries of sessions and older messages',
    up: [
      `CREATE TABLE summaries (
  id uuid PRIMARY KEY,
  bot_id text NOT NULL,
  user_id text NOT NULL,
  session_id text,
  content text NOT NULL,
  tokens integer NOT NULL,
  message_ids jsonb NOT NULL DEFAULT '[]',
  message_count integer NOT NULL,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  method text NOT NULL CHECK (method IN ('llm', 'heuristic')),
  model text,
  created_at timestamptz NOT NULL
)`,
      'CREATE INDEX summaries_scope_idx ON summaries (bot_id, user_id, period_end DESC, created_at DESC)',
      'CREATE INDEX summaries_session_idx ON summaries (bot_id, user_id, session_id)',
    ],
  },
];
