import * as v from 'valibot';

// Request schemas of the store's HTTP routes. Bot and model bodies follow bots.yaml and
// models.yaml entries, so a file entry pasted as JSON is accepted as it is.

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const record = v.record(v.string(), v.unknown());

/** bots.yaml's slug rule. */
export const slugSchema = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9_-]*$/, 'must be a lowercase slug (letters, digits, - and _), starting with a letter'),
);

/** models.yaml's alias rule. */
export const aliasSchema = v.pipe(
  v.string(),
  v.maxLength(128, 'must be at most 128 characters'),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'is not a valid alias (letters, digits and . _ : / -)'),
);

/** Runtime setting keys: `turn_log`, `history_tokens`, `summarization_job.model`, ... */
export const settingKeySchema = v.pipe(
  v.string(),
  v.maxLength(128, 'must be at most 128 characters'),
  v.regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, 'must start with a letter and hold only letters, digits and _ . : -'),
);

const botFields = {
  name: nonEmpty,
  description: v.optional(v.nullable(v.string())),
  system_prompt: nonEmpty,
  requires_memory: v.optional(v.boolean()),
  uses_tools: v.optional(v.boolean()),
  uses_search: v.optional(v.boolean()),
  voice_optimized: v.optional(v.boolean()),
  agent_backend: v.optional(v.nullable(nonEmpty)),
  agent_backend_config: v.optional(v.nullable(record)),
  default_model: v.optional(v.nullable(nonEmpty)),
  /** As in bots.yaml: kept in `settings.color`. */
  color: v.optional(v.string()),
  settings: v.optional(record),
  plugins: v.optional(v.record(v.string(), record)),
};

/** `POST /v1/bots`. */
export const botCreateBody = v.strictObject({ slug: slugSchema, ...botFields });

/** `PUT /v1/bots/:slug/profile`: every editable field (missing optional ones reset to defaults). */
export const botReplaceBody = v.strictObject(botFields);

/** `PATCH /v1/bots/:slug/profile`: only the fields given change; `null` clears. */
export const botPatchBody = v.strictObject({
  name: v.optional(nonEmpty),
  description: v.optional(v.nullable(v.string())),
  system_prompt: v.optional(nonEmpty),
  requires_memory: v.optional(v.boolean()),
  uses_tools: v.optional(v.boolean()),
  uses_search: v.optional(v.boolean()),
  voice_optimized: v.optional(v.boolean()),
  agent_backend: v.optional(v.nullable(nonEmpty)),
  agent_backend_config: v.optional(v.nullable(record)),
  default_model: v.optional(v.nullable(nonEmpty)),
  color: v.optional(v.nullable(v.string())),
  settings: v.optional(v.nullable(record)),
  plugins: v.optional(v.nullable(v.record(v.string(), v.nullable(record)))),
});

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));

/** `PUT /v1/model-definitions/:alias`: a models.yaml entry. */
export const modelDefinitionBody = v.strictObject({
  provider: nonEmpty,
  model: v.pipe(v.string(), v.minLength(1, 'must name the upstream model id')),
  base_url: v.optional(v.pipe(v.string(), v.url('must be a URL such as http://127.0.0.1:11434/v1'))),
  api_key_env: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'))),
  context_window: v.optional(positiveInt),
  max_output_tokens: v.optional(positiveInt),
  tool_support: v.optional(v.picklist(['native', 'react', 'none'])),
  pricing: v.optional(v.strictObject({ input_per_mtok: v.optional(v.pipe(v.number(), v.minValue(0))), output_per_mtok: v.optional(v.pipe(v.number(), v.minValue(0))) })),
  fallbacks: v.optional(v.array(v.string())),
  description: v.optional(v.string()),
  options: v.optional(record),
});

const scopeType = v.picklist(['global', 'bot'], "must be 'global' or 'bot'");

/** `?scope=&bot_id=` of the settings routes. */
const scopeQueryFields = { scope: v.optional(scopeType), bot_id: v.optional(slugSchema) };

/** `PUT /v1/settings/:key`. `value` is any JSON but null (the admin API refuses null: DELETE removes a setting). */
export const settingBody = v.strictObject({ value: v.unknown(), ...scopeQueryFields });

/** A whole number within bounds, from a query string. */
const intQuery = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, `must be a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

const page = { limit: v.optional(intQuery(1, 500)), cursor: v.optional(v.pipe(v.string(), v.minLength(1))) };

/** `?limit=&cursor=` of the simple listings. */
export const pageQuery = v.strictObject(page);

/** `GET /v1/settings` and the scope of `DELETE /v1/settings/:key`. */
export const settingsListQuery = v.strictObject({ ...scopeQueryFields, ...page });
export const settingScopeQuery = v.strictObject(scopeQueryFields);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const isoDate = v.pipe(
  v.string(),
  v.check((text) => ISO_DATE.test(text) && !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 date or timestamp, e.g. 2025-01-31T12:00:00Z'),
  v.transform((text) => new Date(text)),
);

/** `GET /v1/turn-logs`. */
export const turnLogsQuery = v.strictObject({
  bot_id: v.optional(v.pipe(v.string(), v.minLength(1))),
  user_id: v.optional(v.pipe(v.string(), v.minLength(1))),
  status: v.optional(v.picklist(['ok', 'error', 'aborted'], "must be 'ok', 'error' or 'aborted'")),
  since: v.optional(isoDate),
  until: v.optional(isoDate),
  limit: v.optional(intQuery(1, 500)),
  cursor: v.optional(v.pipe(v.string(), v.minLength(1))),
});
