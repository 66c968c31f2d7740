import type { BotConfig, Decisions, TurnInput, TurnRequest } from '@llm-bawt/sdk';

export function normalizeRequest(input: TurnInput, botId: string, userId: string): TurnRequest {
  return {
    botId,
    userId,
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
    ...(input.model ? { model: input.model } : {}),
    messages: input.messages,
    stream: input.stream ?? false,
    tools: input.tools ?? [],
    params: input.params ?? {},
    decisions: input.decisions ?? {},
    augmentMemory: input.augmentMemory ?? true,
    includeSummaries: input.includeSummaries ?? true,
    settings: input.settings ?? {},
    metadata: input.metadata ?? {},
  };
}

/** Decision defaults come from the bot's flags. */
export function defaultDecisions(bot: BotConfig): Decisions {
  return { use_memory: bot.requires_memory, use_tools: bot.uses_tools, use_search: bot.uses_search, skip_history: false };
}

/** After PRE_PROCESS: the bot's `settings.decisions`, then the request's own overrides, win. */
export function applyDecisionOverrides(decisions: Decisions, bot: BotConfig, request: TurnRequest): void {
  const fromBot = (bot.settings.decisions ?? {}) as Partial<Decisions>;
  for (const source of [fromBot, request.decisions]) {
    for (const key of ['use_memory', 'use_tools', 'use_search', 'skip_history'] as const) {
      if (typeof source[key] === 'boolean') decisions[key] = source[key];
    }
  }
  // A bot without memory never uses it, whatever a request asks.
  if (!bot.requires_memory) decisions.use_memory = false;
}
