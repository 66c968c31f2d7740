import { isLlmbError, type BotConfig, type BotRegistry, type ModelRegistry, type ModelSpec } from '@llm-bawt/sdk';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { parseChatRequest, toChatCall } from './to-turn.js';

const models: ModelRegistry = {
  list: () => [],
  get: (alias) => (alias === 'gpt' ? ({ alias, provider: 'openai', model: 'gpt-4o' } as ModelSpec) : undefined),
  availability: () => ({ usable: true }),
  defaultAlias: () => 'gpt',
  upsert: () => undefined,
  remove: () => false,
};
const bot = (slug: string, extra: Partial<BotConfig> = {}) =>
  ({ slug, name: slug, system_prompt: '', requires_memory: false, uses_tools: false, uses_search: false, voice_optimized: false, settings: {}, plugins: {}, ...extra }) as BotConfig;
const bots: BotRegistry = {
  list: () => [bot('nova'), bot('claude', { agent_backend: 'claude-code' })],
  get: (slug) => bots.list().find((b) => b.slug === slug),
  defaultSlug: () => 'nova',
  upsert: async () => undefined,
  remove: async () => false,
};

const call = (body: Record<string, unknown>) => toChatCall(parseChatRequest({ messages: [{ role: 'user', content: 'Hi' }], ...body }), models, bots);

function rejection(body: unknown): ApiError {
  try {
    parseChatRequest(body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('toChatCall', () => {
  it('maps OpenAI fields and ours onto the turn', () => {
    const { input, stream, includeUsage, requestedModel } = call({
      model: 'gpt',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
      top_p: 0.9,
      max_tokens: 10,
      max_completion_tokens: 20,
      stop: 'END',
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: -0.1,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
      reasoning_effort: 'low',
      tool_choice: 'auto',
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      user: 'alice',
      bot_id: 'nova',
      session_id: 's1',
      augment_memory: false,
      include_summaries: false,
      extra_field: 'ignored',
    });
    expect(stream).toBe(true);
    expect(includeUsage).toBe(true);
    expect(requestedModel).toBe('gpt');
    expect(input).toEqual({
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      model: 'gpt',
      botId: 'nova',
      userId: 'alice',
      sessionId: 's1',
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      augmentMemory: false,
      includeSummaries: false,
      params: {
        temperature: 0.5,
        top_p: 0.9,
        max_tokens: 20,
        stop: ['END'],
        seed: 7,
        presence_penalty: 0.1,
        frequency_penalty: -0.1,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
        reasoning_effort: 'low',
        tool_choice: 'auto',
        include_usage: true,
      },
    });
  });

  it('treats a model named after an agent bot as that bot', () => {
    const { input } = call({ model: 'claude' });
    expect(input.botId).toBe('claude');
    expect(input.model).toBeUndefined();
    expect(() => call({ model: 'claude', bot_id: 'nova' })).toThrow(/agent bot 'claude'/);
  });

  it('leaves an unknown model for the host to refuse', () => {
    expect(call({ model: 'mystery' }).input.model).toBe('mystery');
  });

  it('keeps multimodal parts and assistant tool calls; null content stays null', () => {
    const { input } = call({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '42' },
        { role: 'assistant' },
      ],
    });
    expect(input.messages.map((m) => m.role)).toEqual(['developer', 'user', 'assistant', 'tool', 'assistant']);
    expect(input.messages[2]?.tool_calls?.[0]?.id).toBe('c1');
    expect(input.messages[4]?.content).toBeNull();
  });

  it('names the offending field in param', () => {
    expect(rejection({ messages: 'x' }).param).toBe('messages');
    expect(rejection({ messages: [{ role: 'user', content: 1 }] }).param).toBe('messages[0].content');
    expect(rejection({ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: {} }] }).param).toBe('tools[0].function.name');
    expect(rejection({ messages: [{ role: 'user', content: 'x' }], n: 2 }).message).toContain('only n=1');
    expect(rejection(null).param).toBeNull();
    expect(isLlmbError(rejection(null))).toBe(false);
    expect(rejection(null).status).toBe(400);
  });
});
