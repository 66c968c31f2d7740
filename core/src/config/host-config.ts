import { dirname, resolve } from 'node:path';
import * as v from 'valibot';
import { readYamlFile, type ConfigProblem } from './yaml-file.js';

const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));

const pluginEntry = v.union([
  v.pipe(v.string(), v.minLength(1)),
  v.strictObject({ use: v.pipe(v.string(), v.minLength(1)), config: v.optional(v.record(v.string(), v.unknown())) }),
]);

/** The llm-bawt.config.yaml schema. */
export const hostConfigSchema = v.strictObject({
  plugins: v.optional(v.array(pluginEntry)),
  /** Extra plugins added to the default set (when `plugins` is absent). */
  extra_plugins: v.optional(v.array(pluginEntry)),
  /** Config sections for plugins by id, for plugins listed without a config. */
  plugin_config: v.optional(v.record(v.string(), v.record(v.string(), v.unknown()))),
  bots: v.optional(v.string()),
  models: v.optional(v.string()),
  data_dir: v.optional(v.string()),
  database_url: v.optional(v.string()),
  redis_url: v.optional(v.string()),
  listen: v.optional(v.strictObject({ host: v.optional(v.string()), port: v.optional(port) })),
  mcp: v.optional(v.strictObject({ host: v.optional(v.string()), port: v.optional(port) })),
  default_bot: v.optional(v.string()),
  default_model: v.optional(v.string()),
  api_keys: v.optional(v.array(v.string())),
  settings: v.optional(v.record(v.string(), v.unknown())),
  log_level: v.optional(v.picklist(['silent', 'error', 'warn', 'info', 'debug'])),
});

export type HostConfigFile = v.InferOutput<typeof hostConfigSchema>;

export type PluginEntry = { use: string; config?: Record<string, unknown> };

export function normalizePluginEntry(entry: string | PluginEntry): PluginEntry {
  return typeof entry === 'string' ? { use: entry } : entry;
}

export interface LoadedHostConfig {
  config: HostConfigFile;
  /** Directory relative paths in the file are resolved against. */
  baseDir: string;
  problems: ConfigProblem[];
}

export async function loadHostConfig(file: string, label = file): Promise<LoadedHostConfig> {
  const baseDir = dirname(resolve(file));
  if (/\.(m|c)?[jt]s$/.test(file)) {
    // A .ts/.js config is code: jiti loads it, and the default export is validated like YAML.
    const { createJiti } = await import('jiti');
    const jiti = createJiti(import.meta.url);
    try {
      const value = await jiti.import(resolve(file), { default: true });
      const parsed = v.safeParse(hostConfigSchema, value);
      if (parsed.success) return { config: parsed.output, baseDir, problems: [] };
      return {
        config: {},
        baseDir,
        problems: parsed.issues.map((issue) => ({
          file: label,
          path: (issue.path ?? []).map((p) => String(p.key)).join('.'),
          message: issue.message,
        })),
      };
    } catch (error) {
      return { config: {}, baseDir, problems: [{ file: label, path: '', message: `cannot load: ${(error as Error).message}` }] };
    }
  }
  const parsed = readYamlFile(file, hostConfigSchema, label);
  return parsed.ok ? { config: parsed.value, baseDir, problems: [] } : { config: {}, baseDir, problems: parsed.problems };
}
