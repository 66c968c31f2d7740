import type { ModelSpec } from '@llm-bawt/sdk';

/** Model names that get the pygmalion adapter without being told (alias or repository id). */
const PYGMALION = /pygmalion|mytho|lewd/i;

/**
 * The adapter a model gets without configuration: `options.adapter` in models.yaml, else
 * pygmalion for the roleplay families, else `default`. Dolphin is never guessed: its name
 * covers many unrelated fine-tunes.
 */
export function detectAdapter(model: ModelSpec): string {
  const configured = model.options?.adapter;
  if (typeof configured === 'string' && configured !== '') return configured;
  const repo = model.options?.repo_id;
  const names = [model.alias, model.model, typeof repo === 'string' ? repo : ''];
  return names.some((name) => PYGMALION.test(name)) ? 'pygmalion' : 'default';
}
