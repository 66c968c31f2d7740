import type { MigrationDefinition } from '@llm-bawt/sdk';

const timestamps = `created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;
const scope = `scope_type text NOT NULL CHECK (scope_type IN ('global', 'bot')),
  scope_id text NOT NULL CHECK (scope_type <> 'global' OR scope_id = '*')`;

/** The shared tables (DESIGN §7), as store-postgres's own migrations. Never edit a released one. */
export const sharedMigrations: MigrationDefinition[] = [
  {
    id: '0001-shared-tables',
    description: 'bots, model definitions, runtime settings, prompt templates',
    up: [
      `CREATE TABLE bots (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  description text,
  system_prompt text NOT NULL,
  requires_memory boolean NOT NULL DEFAULT true,
  uses_tools boolean NOT NULL DEFAULT false,
  uses_search boolean NOT NULL DEFAULT false,
  voice_optimized boolean NOT NULL DEFAULT false,
  agent_backend text,
  agent_backend_config jsonb,
  default_model text,
  settings jsonb NOT NULL DEFAULT '{}',
  plugins jsonb NOT NULL DEFAULT '{}',
  ${timestamps}
)`,
      `CREATE TABLE model_definitions (
  id uuid PRIMARY KEY,
  alias text NOT NULL UNIQUE,
  provider text NOT NULL,
  model text NOT NULL,
  base_url text,
  api_key_env text,
  context_window integer CHECK (context_window > 0),
  max_output_tokens integer CHECK (max_output_tokens > 0),
  tool_support text CHECK (tool_support IN ('native', 'react', 'none')),
  pricing jsonb,
  fallbacks jsonb,
  options jsonb,
  ${timestamps}
)`,
      `CREATE TABLE runtime_settings (
  id uuid PRIMARY KEY,
  ${scope},
  key text NOT NULL,
  value jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (scope_type, scope_id, key)
)`,
      `CREATE TABLE prompt_templates (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  ${scope},
  category text NOT NULL DEFAULT 'general',
  title text,
  body text NOT NULL,
  ${timestamps},
  UNIQUE (name, scope_type, scope_id)
)`,
    ],
  },
  {
    id: '0002-turn-logs',
    description: 'turn logs and tool-call records',
    up: [
      `CREATE TABLE turn_logs (
  id uuid PRIMARY KEY,
  request_id text NOT NULL,
  bot_id text NOT NULL,
  user_id text NOT NULL,
  session_id text,
  model text,
  stream boolean NOT NULL DEFAULT false,
  status text NOT NULL CHECK (status IN ('ok', 'error', 'aborted')),
  error_code text,
  error_message text,
  finish_reason text,
  level text NOT NULL CHECK (level IN ('metadata', 'full')),
  timings jsonb NOT NULL DEFAULT '{}',
  tools jsonb NOT NULL DEFAULT '[]',
  prompt_tokens integer,
  completion_tokens integer,
  total_tokens integer,
  duration_ms integer NOT NULL,
  request_messages jsonb,
  response_text text,
  reasoning text,
  outputs jsonb,
  created_at timestamptz NOT NULL
)`,
      'CREATE INDEX turn_logs_created_idx ON turn_logs (created_at DESC, id DESC)',
      'CREATE INDEX turn_logs_bot_idx ON turn_logs (bot_id, created_at DESC, id DESC)',
      'CREATE INDEX turn_logs_user_idx ON turn_logs (user_id, created_at DESC, id DESC)',
      'CREATE INDEX turn_logs_status_idx ON turn_logs (status, created_at DESC, id DESC)',
      'CREATE INDEX turn_logs_request_idx ON turn_logs (request_id)',
      `CREATE TABLE tool_call_records (
  id uuid PRIMARY KEY,
  turn_log_id uuid NOT NULL REFERENCES turn_logs (id) ON DELETE CASCADE,
  request_id text NOT NULL,
  bot_id text NOT NULL,
  user_id text NOT NULL,
  position integer NOT NULL,
  call_id text,
  name text NOT NULL,
  arguments text,
  result_preview text,
  result_chars integer,
  duration_ms integer NOT NULL,
  error text,
  created_at timestamptz NOT NULL
)`,
      'CREATE INDEX tool_call_records_turn_idx ON tool_call_records (turn_log_id, position)',
      'CREATE INDEX tool_call_records_bot_idx ON tool_call_records (bot_id, created_at DESC)',
    ],
  },
];
