import * as v from 'valibot';

const int = (min: number) => v.pipe(v.number(), v.integer('must be an integer'), v.minValue(min, `must be >= ${min}`));

/**
 * memory-summaries config (root, and per bot in bots.yaml `plugins.memory-summaries`).
 * Budgets follow the original's `summarization_job` settings. @public
 */
export const summariesConfig = v.object({
  /** `auto`: the bot's background model when one is usable, else heuristic; `llm` / `heuristic` force one. */
  method: v.optional(v.picklist(['auto', 'llm', 'heuristic']), 'auto'),
  /** A models.yaml alias for summaries; default: the bot's background model. */
  model: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Summarize after a turn once a user's unsummarized messages with a bot exceed `triggerTokens`. */
  autoSummarize: v.optional(v.boolean(), true),
  /** Unsummarized tokens kept raw; older messages past it are summarized. */
  triggerTokens: v.optional(int(500), 12_000),
  /** The newest turns (user + assistant pairs) never summarized by the rolling pass. */
  protectedRecentTurns: v.optional(int(0), 3),
  /** Groups with fewer user and assistant messages are left alone. */
  minMessages: v.optional(int(1), 2),
  /** Rows without a session split into groups where they are further apart than this. */
  sessionGapSeconds: v.optional(int(1), 3_600),
  /** A session longer than this is summarized in chunks of at most this many tokens. */
  chunkTokens: v.optional(int(200), 4_000),
  /** Generation limits of the summary call. */
  maxTokens: v.optional(int(32), 320),
  temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2)), 0.3),
});

/** The parsed config. @public */
export type SummariesConfig = v.InferOutput<typeof summariesConfig>;
