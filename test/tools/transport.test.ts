import transportOpenai, { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';
import { createScriptedUpstream, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sent, toolHost, type notesPlugin } from './helpers.js';

/** End to end: openai client -> transport-openai -> tool loop -> provider-openai -> scripted upstream. */
let up: ScriptedUpstream;
let host: TestHost;
let notes: ReturnType<typeof notesPlugin>;
let client: OpenAI;
let url: string;
beforeAll(async () => {
  up = await createScriptedUpstream();
  ({ host, notes } = await toolHost(up, { plugins: [transportOpenai], transports: true }));
  url = host.get(transportOpenaiRef).url as string;
  client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await host.close();
  await up.close();
});
beforeEach(() => {
  up.reset();
  notes.facts.clear();
});

const weather: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('tools over the OpenAI HTTP surface', () => {
  it('streams server tool calls as delta.tool_calls, then the answer, with one finish', async () => {
    up.script(
      { toolCalls: [{ id: 'call_s1', name: 'memory', arguments: { action: 'store', content: 'likes tea' } }] },
      { toolCalls: [{ id: 'call_s2', name: 'clock', arguments: {} }] },
      { text: 'Saved, and it is noon.' },
    );
    const stream = await client.chat.completions.create({
      model: 'native',
      messages: [{ role: 'user', content: 'Remember tea and tell me the time' }],
      stream: true,
      bot_id: 'nova',
    } as OpenAI.Chat.ChatCompletionCreateParamsStreaming);
    const calls: OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    const finishes: string[] = [];
    const toolEvents: string[] = [];
    let content = '';
    for await (const chunk of stream) {
      const raw = chunk as unknown as { object: string; event?: string };
      if (raw.object === 'service.tool_event') toolEvents.push(raw.event as string);
      const choice = chunk.choices[0];
      if (!choice) continue;
      calls.push(...(choice.delta.tool_calls ?? []));
      content += choice.delta.content ?? '';
      if (choice.finish_reason) finishes.push(choice.finish_reason);
    }
    expect(calls).toEqual([
      { index: 0, id: 'call_s1', type: 'function', function: { name: 'memory', arguments: '{"action":"store","content":"likes tea"}' } },
      { index: 1, id: 'call_s2', type: 'function', function: { name: 'clock', arguments: '{}' } },
    ]);
    expect(toolEvents).toEqual(['tool_start', 'tool_end', 'tool_start', 'tool_end']);
    expect(content).toBe('Saved, and it is noon.');
    expect(finishes).toEqual(['stop']);
    expect(notes.facts.get('nova/default')).toEqual(['likes tea']);
  });

  it('round-trips a client tool: the client gets the call, sends the result, gets the answer', async () => {
    up.script({ text: 'Checking.', toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await client.chat.completions.create({ model: 'native', messages, tools: [weather], bot_id: 'nova' } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call).toMatchObject({ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } });
    expect(choice?.message.content).toBe('Checking.');
    // Server tools were offered beside the client's.
    expect(up.requests[0]?.body.tools.map((t: any) => t.function.name)).toEqual(expect.arrayContaining(['get_weather', 'memory', 'clock']));

    up.script({ text: 'It is sunny in Oslo.' });
    messages.push(choice!.message, { role: 'tool', tool_call_id: 'call_w', content: 'sunny, 21C' });
    const second = await client.chat.completions.create({ model: 'native', messages, tools: [weather], bot_id: 'nova' } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    expect(second.choices[0]?.message.content).toBe('It is sunny in Oslo.');
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(sent(up, 1).slice(-2)).toEqual([
      expect.objectContaining({ role: 'assistant', tool_calls: [expect.objectContaining({ id: 'call_w' })] }),
      { role: 'tool', tool_call_id: 'call_w', content: 'sunny, 21C' },
    ]);
  });

  it('runs server tools and returns client tools in one request', async () => {
    up.script(
      { toolCalls: [{ id: 'call_mem', name: 'memory', arguments: { action: 'search', query: 'city' } }] },
      { toolCalls: [{ id: 'call_w2', name: 'get_weather', arguments: { city: 'Bergen' } }] },
    );
    notes.facts.set('nova/default', ['home city is Bergen']);
    const runner = client.chat.completions.stream({
      model: 'native',
      messages: [{ role: 'user', content: 'Weather at home?' }],
      tools: [weather],
      bot_id: 'nova',
    } as Parameters<typeof client.chat.completions.stream>[0]);
    const final = await runner.finalChatCompletion();
    // The server call ran (its result reached the model) but only the client's call came back.
    expect(sent(up, 1).at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_mem', content: '["home city is Bergen"]' });
    const calls = final.choices[0]?.message.tool_calls;
    expect(calls).toHaveLength(1);
    expect(calls?.[0]).toMatchObject({ id: 'call_w2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('drops announced server calls a client sends back without results', async () => {
    up.script({ text: 'Fine.' });
    await client.chat.completions.create({
      model: 'native',
      bot_id: 'nova',
      messages: [
        { role: 'user', content: 'time?' },
        { role: 'assistant', content: 'It is noon.', tool_calls: [{ id: 'call_old', type: 'function', function: { name: 'clock', arguments: '{}' } }] },
        { role: 'user', content: 'thanks' },
      ],
    } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    expect(sent(up, 0).slice(-2)).toEqual([{ role: 'assistant', content: 'It is noon.' }, { role: 'user', content: 'thanks' }]);
  });
});
