import * as v from 'valibot';
import type { BotConfig } from '@llm-bawt/sdk';
import { formatProblem, readYamlFile, type ConfigProblem } from './yaml-file.js';

const slug = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]*$/, 'must be a lowercase slug (letters, digits, - and _)'));

const botSchema = v.strictObject({
  name: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  description: v.optional(v.string()),
  system_prompt: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  requires_memory: v.optional(v.boolean(), true),
  uses_tools: v.optional(v.boolean(), false),
  uses_search: v.optional(v.boolean(), false),
  voice_optimized: v.optional(v.boolean(), false),
  agent_backend: v.optional(v.string()),
  agent_backend_config: v.optional(v.record(v.string(), v.unknown())),
  default_model: v.optional(v.nullable(v.string())),
  color: v.optional(v.string()),
  settings: v.optional(v.record(v.string(), v.unknown()), {}),
  plugins: v.optional(v.record(v.string(), v.unknown()), {}),
});

/** The bots.yaml schema. */
export const botsFileSchema = v.strictObject({
  defaults: v.optional(
    v.strictObject({
      bot: v.optional(slug),
      settings: v.optional(v.record(v.string(), v.unknown()), {}),
    }),
    {},
  ),
  bots: v.pipe(
    v.record(slug, botSchema),
    v.check((bots) => Object.keys(bots).length > 0, 'must define at least one bot'),
  ),
});

export type BotsFile = v.InferOutput<typeof botsFileSchema>;

export function botsFromFile(file: BotsFile): BotConfig[] {
  return Object.entries(file.bots).map(([botSlug, bot]) => {
    const { default_model, color, ...rest } = bot;
    return {
      slug: botSlug,
      ...rest,
      ...(default_model ? { default_model } : {}),
      settings: { ...file.defaults.settings, ...bot.settings, ...(color ? { color } : {}) },
    };
  });
}

export interface LoadedBots {
  bots: BotConfig[];
  defaultBot?: string;
  problems: ConfigProblem[];
}

/** Reads bots.yaml; problems are returned, not thrown, so boot can report them all at once. */
export function loadBotsFile(path: string, label = path): LoadedBots {
  const parsed = readYamlFile(path, botsFileSchema, label);
  if (!parsed.ok) return { bots: [], problems: parsed.problems };
  return { bots: botsFromFile(parsed.value), ...(parsed.value.defaults.bot ? { defaultBot: parsed.value.defaults.bot } : {}), problems: [] };
}

export { formatProblem };
