import type { BotConfig, ModelSpec } from '@llm-bawt/sdk';

/**
 * What the host runs with when no bots.yaml or models.yaml is found, so `npx llm-bawt host`
 * works in an empty directory once a provider key is exported.
 */
export const BUILTIN_BOTS: readonly BotConfig[] = [
  {
    slug: 'assistant',
    name: 'Assistant',
    description: 'Built-in stateless assistant, used when no bots.yaml is found',
    system_prompt: 'You are a helpful, concise assistant served by llm-bawt. Answer plainly and say so when you are unsure.',
    requires_memory: false,
    uses_tools: false,
    uses_search: false,
    voice_optimized: false,
    settings: {},
    plugins: {},
  },
];

export const BUILTIN_MODELS: readonly ModelSpec[] = [
  { alias: 'gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini', context_window: 128_000, max_output_tokens: 16_384 },
  { alias: 'claude-sonnet', provider: 'anthropic', model: 'claude-sonnet-4-5', context_window: 200_000, max_output_tokens: 64_000 },
  { alias: 'grok', provider: 'xai', model: 'grok-4-fast-non-reasoning', context_window: 2_000_000 },
];
