import * as v from 'valibot';
import type { ModelSpec } from '@llm-bawt/sdk';
import { readYamlFile, type ConfigProblem } from './yaml-file.js';

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));

const modelSchema = v.strictObject({
  provider: v.pipe(v.string(), v.minLength(1)),
  model: v.pipe(v.string(), v.minLength(1, 'must name the upstream model id')),
  base_url: v.optional(v.pipe(v.string(), v.url('must be a URL such as http://127.0.0.1:11434/v1'))),
  api_key_env: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'))),
  context_window: v.optional(positiveInt),
  max_output_tokens: v.optional(positiveInt),
  tool_support: v.optional(v.picklist(['native', 'react', 'none'])),
  pricing: v.optional(
    v.strictObject({ input_per_mtok: v.optional(v.number()), output_per_mtok: v.optional(v.number()) }),
  ),
  fallbacks: v.optional(v.array(v.string())),
  description: v.optional(v.string()),
  options: v.optional(v.record(v.string(), v.unknown())),
});

/** The models.yaml schema. */
export const modelsFileSchema = v.strictObject({
  default: v.optional(v.string()),
  models: v.optional(v.nullable(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'is not a valid alias')), modelSchema)), {}),
});

export interface LoadedModels {
  models: ModelSpec[];
  defaultAlias?: string;
  problems: ConfigProblem[];
}

export function loadModelsFile(path: string, label = path): LoadedModels {
  const parsed = readYamlFile(path, modelsFileSchema, label);
  if (!parsed.ok) return { models: [], problems: parsed.problems };
  const entries = Object.entries(parsed.value.models ?? {});
  const models: ModelSpec[] = entries.map(([alias, spec]) => {
    const { description: _d, ...rest } = spec;
    return { alias, ...rest };
  });
  const problems: ConfigProblem[] = [];
  const aliases = new Set(models.map((m) => m.alias));
  for (const model of models) {
    for (const fallback of model.fallbacks ?? []) {
      if (!aliases.has(fallback)) problems.push({ file: label, path: `models.${model.alias}.fallbacks`, message: `names unknown alias '${fallback}'` });
    }
  }
  const defaultAlias = parsed.value.default;
  if (defaultAlias && !aliases.has(defaultAlias)) problems.push({ file: label, path: 'default', message: `names unknown alias '${defaultAlias}'` });
  return { models, ...(defaultAlias ? { defaultAlias } : {}), problems };
}
