/** Turn-level switches that PRE_PROCESS hooks set and later stages read. @public */
export interface Decisions {
  use_memory: boolean;
  use_tools: boolean;
  use_search: boolean;
  skip_history: boolean;
}

/** Names of the decision points. @public */
export type DecisionName = keyof Decisions;

/** A bot as bots.yaml (and later the database) describes it. @public */
export interface BotConfig {
  slug: string;
  name: string;
  description?: string;
  system_prompt: string;
  requires_memory: boolean;
  uses_tools: boolean;
  uses_search: boolean;
  voice_optimized: boolean;
  agent_backend?: string;
  agent_backend_config?: Record<string, unknown>;
  default_model?: string;
  /** Per-bot runtime settings (context/memory budgets, turn_log, ...). */
  settings: Record<string, unknown>;
  /** Per-bot plugin config sections, keyed by plugin id. */
  plugins: Record<string, unknown>;
}

/** Provider families a models.yaml entry can name. @public */
export type ProviderKind = 'openai' | 'anthropic' | 'xai' | 'openai-compatible' | 'gguf' | 'agent';

/** One models.yaml alias, resolved. @public */
export interface ModelSpec {
  alias: string;
  provider: ProviderKind | (string & {});
  model: string;
  base_url?: string;
  api_key_env?: string;
  context_window?: number;
  max_output_tokens?: number;
  tool_support?: 'native' | 'react' | 'none';
  pricing?: { input_per_mtok?: number; output_per_mtok?: number };
  fallbacks?: string[];
  /** Provider-specific extras, passed through untouched. */
  options?: Record<string, unknown>;
}
