import { describe, expect, it } from 'vitest';
import { applySets, editableOf, patchOf, readEdited, setValue, type Bot } from '../src/commands/bot-edit.js';

const bot: Bot = {
  slug: 'nova',
  name: 'Nova',
  description: null,
  system_prompt: 'You are Nova.\nBe brief.',
  requires_memory: true,
  uses_tools: false,
  uses_search: false,
  voice_optimized: false,
  agent_backend: null,
  agent_backend_config: null,
  default_model: null,
  settings: { color: 'cyan', max_context_tokens: 8000 },
  plugins: { 'memory-semantic': { nResults: 5 } },
  created_at: '2025-11-25T10:00:00.000Z',
  updated_at: '2025-11-25T10:00:00.000Z',
};

describe('patchOf', () => {
  const before = editableOf(bot);

  it('sends only the fields that changed', () => {
    expect(patchOf(before, { ...before })).toEqual({});
    expect(patchOf(before, { ...before, name: 'Nova 2', uses_tools: true })).toEqual({ name: 'Nova 2', uses_tools: true });
  });

  it('sends only the changed keys of merged fields, a removed key as null', () => {
    const after = { ...before, settings: { color: 'red' }, plugins: { 'memory-semantic': { nResults: 5 }, 'tools-core': { web: true } } };
    expect(patchOf(before, after)).toEqual({ settings: { color: 'red', max_context_tokens: null }, plugins: { 'tools-core': { web: true } } });
  });

  it('clears a field left out of the document', () => {
    const { default_model: _, settings: __, ...rest } = { ...before, default_model: 'local' };
    expect(patchOf({ ...before, default_model: 'local' }, rest)).toEqual({ default_model: null, settings: { color: null, max_context_tokens: null } });
  });

  it('refuses a field that cannot be edited', () => {
    expect(() => patchOf(before, { ...before, slug: 'other' })).toThrow("'slug' is not an editable field");
  });
});

describe('--set', () => {
  it('reads values as YAML scalars, and text that is not one as text', () => {
    expect(setValue('true')).toBe(true);
    expect(setValue('8000')).toBe(8000);
    expect(setValue('null')).toBeNull();
    expect(setValue('You are: kind')).toBe('You are: kind');
    expect(setValue('[a, b]')).toEqual(['a', 'b']);
  });

  it('applies dotted paths inside mappings without touching their other keys', () => {
    const after = applySets(editableOf(bot), ['settings.color=red', 'plugins.memory-semantic.nResults=3', 'uses_tools=true']);
    expect(patchOf(editableOf(bot), after)).toEqual({ uses_tools: true, settings: { color: 'red' }, plugins: { 'memory-semantic': { nResults: 3 } } });
  });

  it('takes everything after settings. as one setting key, since keys may hold dots', () => {
    const after = applySets(editableOf(bot), ['settings.summarization_job.model=local']);
    expect(patchOf(editableOf(bot), after)).toEqual({ settings: { 'summarization_job.model': 'local' } });
  });

  it('refuses a malformed or unknown field', () => {
    expect(() => applySets(editableOf(bot), ['uses_tools'])).toThrow('--set needs FIELD=VALUE');
    expect(() => applySets(editableOf(bot), ['colour=red'])).toThrow("'colour' is not an editable field");
    expect(() => applySets(editableOf(bot), ['name.first=x'])).toThrow("'name' is not a mapping");
  });
});

describe('readEdited', () => {
  it('parses the document; an empty one cancels; bad YAML names the file and line', () => {
    expect(readEdited('# only a comment\n', 'f.yaml')).toBeUndefined();
    expect(readEdited('name: Nova\n', 'f.yaml')).toEqual({ name: 'Nova' });
    expect(() => readEdited('name: Nova\nsettings: [oops\n', 'f.yaml')).toThrow(/^f\.yaml:\d+: not valid YAML/);
    expect(() => readEdited('- a list\n', 'f.yaml')).toThrow('must be a mapping of fields');
  });
});
