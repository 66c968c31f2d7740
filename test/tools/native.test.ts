import { coreRefs } from '@llm-bawt/sdk';
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

const ask = (content: string, extra: Record<string, unknown> = {}) => host.ask({ botId: 'nova', messages: [{ role: 'user', content }], ...extra });
const toolNames = (i: number): string[] => (up.requests[i]?.body.tools ?? []).map((t: any) => t.function.name);

describe('native tool loop', () => {
  it('runs a server tool the model calls, feeds the result back, and returns only the final answer', async () => {
    up.script(
      { toolCalls: [{ id: 'call_1', name: 'memory', arguments: { action: 'store', content: 'likes tea' } }], usage: { prompt_tokens: 10, completion_tokens: 3 } },
      { text: 'Noted: you like tea.', usage: { prompt_tokens: 20, completion_tokens: 5 } },
    );
    const { text, events, turn } = await ask('Remember that I like tea');

    expect(text).toBe('Noted: you like tea.');
    expect(notes.facts.get('nova/default')).toEqual(['likes tea']);
    expect(up.requests).toHaveLength(2);
    expect(toolNames(0)).toEqual(expect.arrayContaining(['memory', 'clock', 'search']));
    const second = sent(up, 1);
    expect(second.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_1', function: { name: 'memory' } }] });
    expect(second.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"stored":"likes tea","count":1}' });
    // Non-streaming: no tool-call deltas reach the reply, usage is summed over both rounds.
    expect(events.some((e) => e.type === 'tool_call_delta')).toBe(false);
    expect(turn.reply.tool_calls).toBeUndefined();
    expect(turn.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 8, total_tokens: 38 });
    expect(turn.finishReason).toBe('stop');
    expect(turn.toolRuns).toEqual([
      { id: 'call_1', name: 'memory', arguments: '{"action":"store","content":"likes tea"}', result: '{"stored":"likes tea","count":1}', durationMs: expect.any(Number) },
    ]);
  });

  it('tells the model the tool names in the system prompt', async () => {
    up.script({ text: 'hi' });
    await ask('hello');
    expect(sent(up, 0)[0]).toMatchObject({ role: 'system', content: expect.stringContaining('## Tools') });
    expect(sent(up, 0)[0].content).toContain('memory');
  });

  it('sends invalid JSON or schema-invalid arguments back to the model as an error result', async () => {
    up.script(
      { toolCalls: [{ id: 'bad_json', name: 'memory', arguments: '{"action": "store", ' }] },
      { toolCalls: [{ id: 'bad_schema', name: 'memory', arguments: { action: 'shred' } }] },
      { text: 'Sorry, I could not save that.' },
    );
    const { text, turn } = await ask('Remember this');
    expect(text).toBe('Sorry, I could not save that.');
    expect(sent(up, 1).at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'bad_json', content: expect.stringMatching(/^Error: invalid arguments for 'memory': the arguments are not valid JSON/) });
    expect(sent(up, 2).at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'bad_schema', content: expect.stringMatching(/^Error: invalid arguments for 'memory': action: /) });
    expect(turn.toolRuns.map((r) => r.error !== undefined)).toEqual([true, true]);
    expect(notes.facts.size).toBe(0);
  });

  it('answers a call to a tool the bot was not given with an error result', async () => {
    up.script({ toolCalls: [{ id: 'c1', name: 'web_fetch', arguments: { url: 'https://example.com' } }] }, { text: 'I cannot fetch pages.' });
    const { text, turn } = await ask('Fetch example.com', { botId: 'narrow' });
    expect(text).toBe('I cannot fetch pages.');
    expect(toolNames(0)).toEqual(['clock']);
    expect(sent(up, 1).at(-1)).toMatchObject({ role: 'tool', content: "Error: there is no tool 'web_fetch' available to you; the tools you can call are: clock" });
    expect(turn.toolRuns[0]).toMatchObject({ name: 'web_fetch', error: expect.stringContaining('no tool') });
  });

  it('never runs a tool the bot was not given, even one that exists', async () => {
    up.script({ toolCalls: [{ id: 'c1', name: 'memory', arguments: { action: 'store', content: 'x' } }] }, { text: 'ok' });
    await ask('store x', { botId: 'narrow' });
    expect(notes.facts.size).toBe(0);
    expect(sent(up, 1).at(-1).content).toMatch(/no tool 'memory'/);
  });

  it('offers no tools to a bot without uses_tools, and relays its reply untouched', async () => {
    up.script({ text: 'plain answer' });
    const { text } = await ask('hi', { botId: 'plain' });
    expect(text).toBe('plain answer');
    expect(up.requests[0]?.body.tools).toBeUndefined();
    expect(JSON.stringify(sent(up, 0))).not.toContain('## Tools');
  });

  it('gives a memory bot without tools only the memory tool', async () => {
    up.script({ text: 'ok' });
    await ask('hi', { botId: 'rememberer' });
    expect(toolNames(0)).toEqual(['memory']);
  });

  it('keeps memory tools from a bot without memory and web tools from a bot without search', async () => {
    up.script({ text: 'ok' });
    await ask('hi', { botId: 'toolsonly' });
    expect(toolNames(0)).toEqual(['clock', 'slow', 'whoami']);
  });

  it('follows the request decisions: use_tools off means no tools', async () => {
    up.script({ text: 'ok' });
    await ask('hi', { decisions: { use_tools: false, use_memory: false } });
    expect(up.requests[0]?.body.tools).toBeUndefined();
  });

  it('offers no server tools to a model with tool_support none', async () => {
    up.script({ text: 'ok' });
    await ask('hi', { model: 'none' });
    expect(up.requests[0]?.body.tools).toBeUndefined();
  });

  it('ends at the iteration cap with a warning and a clear final text, never looping', async () => {
    up.setDefault({ toolCalls: [{ name: 'clock', arguments: {} }] });
    const { text, events, turn } = await ask('what time is it, forever', { settings: { max_tool_iterations: 2 } });
    expect(up.requests).toHaveLength(3);
    expect(turn.toolRuns).toHaveLength(2);
    expect(events).toContainEqual(expect.objectContaining({ type: 'warning', code: 'tool_limit' }));
    expect(text).toMatch(/Stopped after 2 round\(s\) of tool calls without a final answer/);
    expect(turn.finishReason).toBe('stop');
  });

  it('gives tools a context with the bot, user, turn and refs', async () => {
    up.script({ toolCalls: [{ id: 'w', name: 'whoami', arguments: {} }] }, { text: 'done' });
    await ask('who?', { userId: 'ann' });
    expect(sent(up, 1).at(-1).content).toBe('native for ann (3 models)');
  });

  it('times a slow tool out with an error result (tool_timeout_ms)', async () => {
    up.script({ toolCalls: [{ id: 's', name: 'slow', arguments: { ms: 5_000 } }] }, { text: 'too slow' });
    const { turn } = await ask('wait', { settings: { tool_timeout_ms: 50 } });
    expect(turn.toolRuns[0]?.error).toMatch(/did not finish within 50 ms/);
    expect(sent(up, 1).at(-1).content).toMatch(/^Error: the tool 'slow' did not finish/);
  });

  it('resolves legacy tool names and argument aliases', async () => {
    up.script({ toolCalls: [{ id: 'w', name: 'web_search', arguments: { q: 'llamas', num_results: 2 } }] }, { text: 'done' });
    const { turn } = await ask('search llamas');
    expect(turn.toolRuns[0]).toMatchObject({ name: 'search', arguments: '{"q":"llamas","num_results":2}' });
    expect(turn.toolRuns[0]?.error).toBeUndefined();
    expect(JSON.parse(sent(up, 1).at(-1).content)).toEqual([{ title: 'About llamas', url: 'https://example.com', n: 2 }]);
  });

  it('publishes tool_start and tool_end on the bus, topic tool:{bot}', async () => {
    const seen: any[] = [];
    const off = host.get(coreRefs.bus).subscribe('tool:nova', (payload) => seen.push(payload));
    up.script({ toolCalls: [{ id: 'k', name: 'clock', arguments: {} }] }, { text: 'noon' });
    await ask('time?');
    off();
    expect(seen.map((e) => e.event)).toEqual(['tool_start', 'tool_end']);
    expect(seen[1]).toMatchObject({ call_id: 'k', tool_name: 'clock', result: '12:00', is_error: false, bot_id: 'nova', user_id: 'default', iteration: 1 });
  });

  it('streams tool events and one finish, with usage summed', async () => {
    up.script({ text: 'Let me check.', toolCalls: [{ id: 'k', name: 'clock', arguments: {} }] }, { text: 'It is noon.' });
    const { text, events, turn } = await ask('time?', { stream: true });
    expect(text).toBe('Let me check.\n\nIt is noon.');
    const kinds = events.map((e) => e.type).filter((t) => t !== 'text');
    expect(kinds).toEqual(['tool_call_delta', 'tool_start', 'tool_end', 'usage', 'finish']);
    expect(events.find((e) => e.type === 'tool_call_delta')).toEqual({ type: 'tool_call_delta', index: 0, id: 'k', name: 'clock', arguments: '{}' });
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    // The announced server call is a record, not a call the client must answer.
    expect(turn.reply.tool_calls).toBeUndefined();
    expect(turn.toolRuns).toHaveLength(1);
  });

  it('aborts a running tool and the turn when the client goes away', async () => {
    up.script({ toolCalls: [{ id: 's', name: 'slow', arguments: { ms: 10_000 } }] });
    const controller = new AbortController();
    const stream = await host.runTurn({ botId: 'nova', stream: true, messages: [{ role: 'user', content: 'wait' }] }, { signal: controller.signal });
    const reading = (async () => {
      for await (const event of stream.events) if (event.type === 'tool_start') controller.abort();
    })();
    await expect(reading).rejects.toMatchObject({ code: 'LLMB_ERR_ABORTED' });
    expect((await stream.done).status).toBe('aborted');
    expect(up.requests).toHaveLength(1);
  });

  it('falls back to the ReAct parser when a native model writes ReAct text', async () => {
    up.script({ text: 'Thought: I need the time.\nAction: clock\nAction Input: {}' }, { text: 'It is noon.' });
    const { text, turn } = await ask('time?');
    expect(text).toBe('It is noon.');
    expect(turn.toolRuns[0]).toMatchObject({ name: 'clock', result: '12:00' });
    expect(sent(up, 1).at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining('<tool_result name="clock" status="success">') });
  });
});
