import { createScriptedUpstream, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sent, toolHost, type notesPlugin } from './helpers.js';

let up: ScriptedUpstream;
let host: TestHost;
let notes: ReturnType<typeof notesPlugin>;
beforeAll(async () => {
  up = await createScriptedUpstream();
  ({ host, notes } = await toolHost(up));
});
afterAll(async () => {
  await host.close();
  await up.close();
});
beforeEach(() => {
  up.reset();
  notes.facts.clear();
});

const ask = (content: string, extra: Record<string, unknown> = {}) =>
  host.ask({ botId: 'nova', model: 'react', messages: [{ role: 'user', content }], ...extra });

const STEP_1 = 'Thought: I should save this first.\nAction: memory\nAction Input: {"action": "store", "content": "likes tea"}';
const STEP_2 = 'Thought: Now the time.\nAction: clock\nAction Input: {}';
const FINAL = 'Thought: I now have the information needed\nFinal Answer: Saved that you like tea. It is 12:00.';

describe('ReAct tool loop', () => {
  it('completes a two-step task through the text protocol', async () => {
    up.script({ text: STEP_1 }, { text: STEP_2 }, { text: FINAL });
    const { text, turn } = await ask('Remember I like tea, then tell me the time');

    expect(text).toBe('Saved that you like tea. It is 12:00.');
    expect(notes.facts.get('nova/default')).toEqual(['likes tea']);
    expect(turn.toolRuns.map((r) => [r.name, r.result])).toEqual([
      ['memory', '{"stored":"likes tea","count":1}'],
      ['clock', '12:00'],
    ]);

    const first = up.requests[0]?.body;
    expect(first.tools).toBeUndefined();
    expect(first.stop).toEqual(expect.arrayContaining(['\nObservation:', '}\nObservation', '}\nFinal Answer', '}\nThought']));
    expect(first.messages[0].content).toContain('Action Input: {"param": "value"}');
    expect(first.messages[0].content).toMatch(/- \*\*memory\*\*: Stores or searches long-term facts about the user\.\n {2}Parameters: action \("store" \| "search", required\)/);

    const second = sent(up, 1);
    expect(second.at(-2)).toEqual({ role: 'assistant', content: STEP_1 });
    expect(second.at(-1).role).toBe('user');
    expect(second.at(-1).content).toBe(
      'Observation: <tool_result name="memory" status="success">\n{"stored":"likes tea","count":1}\n</tool_result>\n(Answer the user now with "Final Answer:", or call another tool if you still need one.)',
    );
    const third = sent(up, 2);
    expect(third.at(-1).content).toBe('Observation: <tool_result name="clock" status="success">\n12:00\n</tool_result>');
  });

  it('cuts the assistant turn right after the call and wraps errors for the model', async () => {
    up.script(
      { text: 'Action: memory\nAction Input: {"action": "shred"}\nObservation: it worked (hallucinated)' },
      { text: 'Final Answer: The memory tool failed.' },
    );
    const { text } = await ask('Shred my memories');
    expect(text).toBe('The memory tool failed.');
    const second = sent(up, 1);
    expect(second.at(-2)).toEqual({ role: 'assistant', content: 'Action: memory\nAction Input: {"action": "shred"}' });
    expect(second.at(-1).content).toMatch(/^Observation: <tool_result name="memory" status="error">\nERROR: invalid arguments for 'memory': action: /);
    expect(second.at(-1).content).toContain("[IMPORTANT: the tool 'memory' failed.");
  });

  it('repairs broken JSON in Action Input and maps aliases', async () => {
    up.script({ text: "Action: remember\nAction Input: {'text': 'owns a cat',}" }, { text: 'Final Answer: Noted.' });
    const { text, turn } = await ask('I own a cat');
    expect(text).toBe('Noted.');
    expect(turn.toolRuns[0]).toMatchObject({ name: 'memory' });
    expect(turn.toolRuns[0]?.error).toBeUndefined();
    expect(notes.facts.get('nova/default')).toEqual(['owns a cat']);
  });

  it('streams only the final answer, with markers split across chunks', async () => {
    up.script(
      { text: ['Tho', 'ught: need time\nAct', 'ion: clo', 'ck\nAction In', 'put: {}'] },
      { text: ['Thought: done\nFin', 'al Ans', 'wer: It is ', 'twelve', ' o\'clock.'] },
    );
    const { events, text } = await ask('time?', { stream: true });
    const pieces = events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text);
    expect(text).toBe("It is twelve o'clock.");
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).not.toMatch(/Thought|Action|Final Answer/);
    expect(events.filter((e) => e.type === 'tool_call_delta')).toEqual([{ type: 'tool_call_delta', index: 0, id: expect.any(String), name: 'clock', arguments: '{}' }]);
  });

  it('treats plain prose from a ReAct model as the answer', async () => {
    up.script({ text: 'Hello! No tools needed.' });
    const { text, turn } = await ask('hi');
    expect(text).toBe('Hello! No tools needed.');
    expect(turn.toolRuns).toEqual([]);
    expect(up.requests).toHaveLength(1);
  });

  it('accepts the # Tool / Arguments form and a fenced name/arguments block', async () => {
    up.script(
      { text: '# Tool: clock\n# Arguments: {}' },
      { text: '```json\n{"name": "memory", "arguments": {"action": "search", "query": "tea"}}\n```' },
      { text: 'Final Answer: done' },
    );
    const { turn, text } = await ask('go');
    expect(turn.toolRuns.map((r) => r.name)).toEqual(['clock', 'memory']);
    expect(text).toBe('done');
  });

  it('returns a call to a client tool as an OpenAI tool call', async () => {
    up.script({ text: 'Action: get_weather\nAction Input: {"city": "Oslo"}' });
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const { events, turn } = await ask('Weather in Oslo?', { tools });
    expect(up.requests[0]?.body.tools).toBeUndefined();
    expect(up.requests[0]?.body.messages[0].content).toContain('**get_weather**: Weather for a city');
    expect(events).toContainEqual({ type: 'tool_call_delta', index: 0, id: expect.any(String), name: 'get_weather', arguments: '{"city":"Oslo"}' });
    expect(turn.finishReason).toBe('tool_calls');
    expect(turn.reply.tool_calls?.[0]?.function.name).toBe('get_weather');
  });

  it('turns a client tool result sent back into an observation for the ReAct model', async () => {
    up.script({ text: 'Final Answer: It is sunny in Oslo.' });
    const { text } = await ask('', {
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    expect(text).toBe('It is sunny in Oslo.');
    const messages = sent(up, 0);
    expect(messages.slice(-2)).toEqual([
      { role: 'assistant', content: 'Action: get_weather\nAction Input: {"city":"Oslo"}' },
      { role: 'user', content: 'Observation: sunny' },
    ]);
  });
});
