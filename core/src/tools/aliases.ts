/**
 * Names models use for tools that are not the tool's own name. ReAct models guess names
 * from training data; the original llm-bawt also had finer-grained tools whose names old
 * prompts and models still produce. Each maps to a tool plus default arguments.
 */
const NAME_ALIASES: Readonly<Record<string, string>> = {
  google: 'web_search',
  internet_search: 'web_search',
  search_web: 'web_search',
  search_internet: 'web_search',
  remember: 'store_memory',
  save_memory: 'store_memory',
  add_memory: 'store_memory',
  recall: 'search_memories',
  get_messages: 'get_recent_history',
  get_history: 'get_recent_history',
  current_model: 'get_current_model',
  get_time: 'get_current_time',
  current_time: 'get_current_time',
  fetch: 'web_fetch',
  fetch_url: 'web_fetch',
  browse: 'web_fetch',
};

const LEGACY_TOOLS: Readonly<Record<string, { name: string; defaults: Record<string, unknown> }>> = {
  search_memories: { name: 'memory', defaults: { action: 'search' } },
  store_memory: { name: 'memory', defaults: { action: 'store' } },
  delete_memory: { name: 'memory', defaults: { action: 'delete' } },
  search_history: { name: 'history', defaults: { action: 'search' } },
  get_recent_history: { name: 'history', defaults: { action: 'recent' } },
  forget_history: { name: 'history', defaults: { action: 'forget' } },
  set_user_attribute: { name: 'profile', defaults: { action: 'set' } },
  get_user_profile: { name: 'profile', defaults: { action: 'get' } },
  delete_user_attribute: { name: 'profile', defaults: { action: 'delete' } },
  bot_trait: { name: 'self', defaults: { action: 'get' } },
  set_my_trait: { name: 'self', defaults: { action: 'set' } },
  web_search: { name: 'search', defaults: { type: 'web' } },
  news_search: { name: 'search', defaults: { type: 'news' } },
  reddit_search: { name: 'search', defaults: { type: 'reddit' } },
  list_models: { name: 'model', defaults: { action: 'list' } },
  get_current_model: { name: 'model', defaults: { action: 'current' } },
  switch_model: { name: 'model', defaults: { action: 'switch' } },
  get_current_time: { name: 'time', defaults: {} },
};

/** A tool name as the model wrote it, resolved against the tools the turn has. */
export interface ResolvedName {
  name: string;
  /** Arguments implied by a legacy name (`news_search` -> `{type: 'news'}`); the model's own win. */
  defaults: Record<string, unknown>;
}

/**
 * Resolves a model's tool name: the exact name if the turn has it, else an alias, else a
 * legacy name with its default arguments. An unresolvable name comes back as written.
 */
export function resolveToolName(raw: string, has: (name: string) => boolean): ResolvedName {
  const written = raw.trim();
  if (has(written)) return { name: written, defaults: {} };
  const key = written.toLowerCase().replace(/[\s-]+/g, '_');
  if (has(key)) return { name: key, defaults: {} };
  const aliased = NAME_ALIASES[key] ?? key;
  if (has(aliased)) return { name: aliased, defaults: {} };
  const legacy = LEGACY_TOOLS[aliased];
  if (legacy && has(legacy.name)) return { name: legacy.name, defaults: { ...legacy.defaults } };
  return { name: written, defaults: {} };
}

/** Argument names models use in place of the schema's, tried in order. */
const ARGUMENT_ALIASES: ReadonlyArray<readonly [from: string, to: string]> = [
  ['q', 'query'],
  ['search_query', 'query'],
  ['search', 'query'],
  ['question', 'query'],
  ['num_results', 'n_results'],
  ['max_results', 'n_results'],
  ['limit', 'n_results'],
  ['num_results', 'max_results'],
  ['n_results', 'max_results'],
  ['limit', 'max_results'],
  ['count', 'max_results'],
  ['text', 'content'],
  ['message', 'content'],
  ['count', 'n_messages'],
  ['limit', 'n_messages'],
  ['tz', 'timezone'],
  ['time_zone', 'timezone'],
  ['link', 'url'],
  ['uri', 'url'],
];

/**
 * Renames argument keys the model got wrong, only where the schema has the target key and
 * not the model's key, so a tool that really takes `limit` keeps it.
 */
export function normalizeArguments(args: Record<string, unknown>, properties: ReadonlySet<string>): Record<string, unknown> {
  if (properties.size === 0) return args;
  let out = args;
  for (const [from, to] of ARGUMENT_ALIASES) {
    if (from in out && !(to in out) && properties.has(to) && !properties.has(from)) {
      if (out === args) out = { ...args };
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}
