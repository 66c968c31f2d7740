import { PROMPT_POSITION, type ContextFragment, type PromptBuilder } from '@llm-bawt/sdk';

/** A cheap token estimate (about four characters a token) for budgeting fragments. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Merges memory fragments into the prompt: highest score first until the token budget is
 * spent, grouped into their prompt sections. Returns what was kept, for the turn log.
 */
export function mergeFragments(fragments: ContextFragment[], budgetTokens: number, prompt: PromptBuilder): { kept: number; dropped: number; tokens: number } {
  const ranked = fragments
    .map((fragment, index) => ({ fragment, index }))
    .sort((a, b) => (b.fragment.score ?? 0) - (a.fragment.score ?? 0) || a.index - b.index);
  let tokens = 0;
  let kept = 0;
  const sections = new Map<string, string[]>();
  for (const { fragment } of ranked) {
    const cost = estimateTokens(fragment.text);
    if (tokens + cost > budgetTokens) continue;
    tokens += cost;
    kept++;
    const section = fragment.section ?? 'memory';
    const lines = sections.get(section) ?? [];
    lines.push(fragment.text);
    sections.set(section, lines);
  }
  for (const [section, lines] of sections) {
    const position = (PROMPT_POSITION as Record<string, number>)[section] ?? PROMPT_POSITION.memory;
    prompt.append(section, lines.join('\n'), prompt.has(section) ? undefined : { position });
  }
  return { kept, dropped: fragments.length - kept, tokens };
}
