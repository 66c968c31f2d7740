import { describe, expect, it } from 'vitest';
import type { ModelAvailability, ModelRegistry, ModelSpec } from '@llm-bawt/sdk';
import { renderModels } from '../src/index.js';

function registry(entries: [ModelSpec, ModelAvailability][], preferred?: string): ModelRegistry {
  const byAlias = new Map(entries.map(([spec, availability]) => [spec.alias, { spec, availability }]));
  return {
    list: () => entries.map(([spec]) => spec),
    get: (alias) => byAlias.get(alias)?.spec,
    availability: (alias) => byAlias.get(alias)?.availability ?? { usable: false, reason: 'unknown', hint: 'add it' },
    defaultAlias: () => preferred ?? entries.find(([, a]) => a.usable)?.[0].alias,
    upsert: () => undefined,
    remove: () => false,
  };
}

const missingKey = (name: string, alias: string): ModelAvailability => ({
  usable: false,
  reason: `${name} is not set (alias ${alias})`,
  hint: `set ${name} in the environment, or name another variable with api_key_env for alias ${alias} in models.yaml`,
});

describe('the models report', () => {
  it('groups the fixes when no model is usable: one export line per key, the provider hint otherwise, and a local example', () => {
    const { text, usable } = renderModels(
      registry([
        [{ alias: 'mini', provider: 'openai', model: 'gpt-4o-mini' }, missingKey('OPENAI_API_KEY', 'mini')],
        [{ alias: 'big', provider: 'openai', model: 'gpt-4.1' }, missingKey('OPENAI_API_KEY', 'big')],
        [{ alias: 'lan', provider: 'openai-compatible', model: 'x' }, { usable: false, reason: 'alias lan has no base_url', hint: 'add base_url to alias lan in models.yaml' }],
      ]),
    );
    expect(usable).toBe(0);
    expect(text.split('\n').slice(0, 7)).toEqual([
      'models: 0 of 3 usable',
      '  --  mini: OPENAI_API_KEY is not set (alias mini)',
      '  --  big: OPENAI_API_KEY is not set (alias big)',
      '  --  lan: alias lan has no base_url',
      'no model can answer yet. To configure one:',
      '  - for mini, big: export OPENAI_API_KEY=...',
      '  - for lan: add base_url to alias lan in models.yaml',
    ]);
    expect(text).toContain('provider: openai-compatible');
    expect(text).toContain('base_url: http://127.0.0.1:11434/v1');
  });

  it('warns when the configured default cannot answer but another model can', () => {
    const { text, usable } = renderModels(
      registry(
        [
          [{ alias: 'mini', provider: 'openai', model: 'gpt-4o-mini' }, missingKey('OPENAI_API_KEY', 'mini')],
          [{ alias: 'sonnet', provider: 'anthropic', model: 'claude-sonnet-4-5' }, { usable: true }],
        ],
        'mini',
      ),
    );
    expect(usable).toBe(1);
    expect(text).toContain('  ok  sonnet: anthropic claude-sonnet-4-5');
    expect(text).toContain("warning: the default model 'mini' is not usable, so requests that name no model will fail; set LLM_BAWT_DEFAULT_MODEL=sonnet");
    expect(text).not.toContain('no model can answer yet');
  });
});
