import type { ModelRegistry } from '@llm-bawt/sdk';

/** How to add a local model when no hosted provider key is set. */
const LOCAL_MODEL_EXAMPLE = [
  '  - or run a local OpenAI-compatible server (Ollama, llama.cpp server, vLLM) and add it to models.yaml:',
  '        models:',
  '          local:',
  '            provider: openai-compatible',
  '            model: llama3.2',
  '            base_url: http://127.0.0.1:11434/v1',
];

/**
 * The fix for an unusable alias, from its provider's hint: a missing key becomes the
 * `export` line to type; any other hint is shown as the provider wrote it.
 */
function fixFor(hint: string): string {
  const variable = /\bset ([A-Za-z_][A-Za-z0-9_]*) in the environment/.exec(hint)?.[1];
  return variable ? `export ${variable}=...` : hint;
}

/**
 * Which model aliases can answer now; for each one that cannot, the provider plugin's reason.
 * When none can, says exactly how to configure one, grouped by fix.
 */
export function renderModels(models: ModelRegistry): { text: string; usable: number } {
  const specs = models.list();
  const defaultAlias = models.defaultAlias();
  const ok: string[] = [];
  const not: string[] = [];
  const fixes = new Map<string, string[]>();
  for (const spec of specs) {
    const availability = models.availability(spec.alias);
    const tag = spec.alias === defaultAlias ? ' (default)' : '';
    if (availability.usable) {
      ok.push(`  ok  ${spec.alias}${tag}: ${spec.provider} ${spec.model}`);
      continue;
    }
    not.push(`  --  ${spec.alias}${tag}: ${availability.reason}`);
    const fix = fixFor(availability.hint);
    fixes.set(fix, [...(fixes.get(fix) ?? []), spec.alias]);
  }
  const lines = [specs.length === 0 ? 'models: none configured (add one to models.yaml)' : `models: ${ok.length} of ${specs.length} usable`, ...ok, ...not];
  if (ok.length > 0) {
    if (defaultAlias && !models.availability(defaultAlias).usable) {
      const first = specs.find((s) => models.availability(s.alias).usable)?.alias ?? '<alias>';
      lines.push(`warning: the default model '${defaultAlias}' is not usable, so requests that name no model will fail; set LLM_BAWT_DEFAULT_MODEL=${first} or fix '${defaultAlias}'`);
    }
    return { text: lines.join('\n'), usable: ok.length };
  }
  lines.push('no model can answer yet. To configure one:');
  for (const [fix, aliases] of fixes) lines.push(`  - for ${aliases.join(', ')}: ${fix}`);
  lines.push(...LOCAL_MODEL_EXAMPLE);
  return { text: lines.join('\n'), usable: 0 };
}
