import * as v from 'valibot';

/** Config of memory-profile (root, or per bot). @public */
export const memoryProfileConfigSchema = v.object({
  /** Most attributes per section (user, traits) put in the prompt. */
  maxAttributes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)), 50),
  /** Attributes below this confidence stay out of the prompt. */
  minConfidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0),
});

/** Parsed memory-profile config. @public */
export type MemoryProfileConfig = v.InferOutput<typeof memoryProfileConfigSchema>;
