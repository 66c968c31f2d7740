import * as v from 'valibot';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const range = (min: number, max: number) => v.pipe(v.number('must be a number'), v.minValue(min, `must be >= ${min}`), v.maxValue(max, `must be <= ${max}`));
const positiveInt = v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be >= 1'));

const contentPart = v.variant(
  'type',
  [
    v.object({ type: v.literal('text'), text: v.string() }),
    v.object({
      type: v.literal('image_url'),
      image_url: v.object({ url: v.string(), detail: v.optional(v.picklist(['auto', 'low', 'high'])) }),
    }),
    v.object({ type: v.literal('input_audio'), input_audio: v.object({ data: v.string(), format: v.string() }) }),
    v.object({ type: v.literal('file'), file: v.record(v.string(), v.unknown()) }),
  ],
  'must be a content part of type text, image_url, input_audio or file',
);

const toolCall = v.object({
  id: v.string(),
  type: v.literal('function'),
  function: v.object({ name: v.string(), arguments: v.string() }),
});

const message = v.object(
  {
    role: v.picklist(ROLES, `must be one of ${ROLES.join(', ')}`),
    content: v.nullish(v.union([v.string(), v.array(contentPart)], 'must be a string or an array of content parts')),
    name: v.optional(v.string()),
    tool_calls: v.optional(v.array(toolCall)),
    tool_call_id: v.optional(v.string()),
  },
  'must be a message object',
);

const tool = v.object({
  type: v.literal('function'),
  function: v.object({
    name: nonEmpty,
    description: v.optional(v.string()),
    parameters: v.optional(v.record(v.string(), v.unknown())),
    strict: v.nullish(v.boolean()),
  }),
});

const toolChoice = v.union(
  [v.picklist(['none', 'auto', 'required']), v.object({ type: v.literal('function'), function: v.object({ name: v.string() }) })],
  "must be 'none', 'auto', 'required' or {type: 'function', function: {name}}",
);

/**
 * `POST /v1/chat/completions`: OpenAI's fields plus llm-bawt's (`bot_id`, `session_id`,
 * `augment_memory`, `include_summaries`, `user_message_id`, `assistant_message_id`; `user` is
 * the user id). Unknown fields are dropped.
 * OpenAI clients send `null` for unset fields, so optional ones are nullish.
 */
export const chatRequestSchema = v.object(
  {
    model: v.nullish(nonEmpty),
    messages: v.pipe(v.array(message, "must be an array of messages"), v.minLength(1, 'must contain at least one message')),
    tools: v.nullish(v.array(tool, 'must be an array of function tools')),
    tool_choice: v.nullish(toolChoice),
    temperature: v.nullish(range(0, 2)),
    top_p: v.nullish(range(0, 1)),
    max_tokens: v.nullish(positiveInt),
    max_completion_tokens: v.nullish(positiveInt),
    stop: v.nullish(v.union([v.string(), v.array(v.string())], 'must be a string or an array of strings')),
    stream: v.nullish(v.boolean('must be a boolean')),
    stream_options: v.nullish(v.object({ include_usage: v.nullish(v.boolean('must be a boolean')) })),
    n: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1, 'only n=1 is supported'))),
    seed: v.nullish(v.pipe(v.number('must be a number'), v.integer('must be an integer'))),
    presence_penalty: v.nullish(range(-2, 2)),
    frequency_penalty: v.nullish(range(-2, 2)),
    response_format: v.nullish(v.looseObject({ type: v.picklist(['text', 'json_object', 'json_schema'], "must be 'text', 'json_object' or 'json_schema'") })),
    reasoning_effort: v.nullish(v.picklist(['minimal', 'low', 'medium', 'high'], "must be 'minimal', 'low', 'medium' or 'high'")),
    user: v.nullish(nonEmpty),
    bot_id: v.nullish(nonEmpty),
    session_id: v.nullish(nonEmpty),
    augment_memory: v.nullish(v.boolean('must be a boolean')),
    include_summaries: v.nullish(v.boolean('must be a boolean')),
    user_message_id: v.nullish(nonEmpty),
    assistant_message_id: v.nullish(nonEmpty),
  },
  'The request body must be a JSON object.',
);

export type ChatRequest = v.InferOutput<typeof chatRequestSchema>;

/** `messages[0].content[1].type` style paths, as OpenAI's `param`. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key;
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
