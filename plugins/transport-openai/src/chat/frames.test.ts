import { describe, expect, it } from 'vitest';
import { apiError } from '../errors.js';
import { ChunkFrames, errorFrame } from './frames.js';

const parse = (frame: string) => {
  expect(frame.startsWith('data: ')).toBe(true);
  expect(frame.endsWith('\n\n')).toBe(true);
  return JSON.parse(frame.slice(6));
};

describe('ChunkFrames', () => {
  it('puts the assistant role on the first chunk only', () => {
    const frames = new ChunkFrames('chatcmpl-1', 1700000000, 'm');
    expect(parse(frames.content('Hel'))).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1700000000,
      model: 'm',
      choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }],
    });
    expect(parse(frames.content('lo')).choices[0].delta).toEqual({ content: 'lo' });
  });

  it('escapes text, ids and model names as JSON', () => {
    const frames = new ChunkFrames('id"\n', 1, 'we"ird\u2028');
    const chunk = parse(frames.reasoning('line\n"quoted"\u0000'));
    expect(chunk.id).toBe('id"\n');
    expect(chunk.model).toBe('we"ird\u2028');
    expect(chunk.choices[0].delta.reasoning_content).toBe('line\n"quoted"\u0000');
  });

  it('sends tool-call deltas with type only where the call is named', () => {
    const frames = new ChunkFrames('c', 1, 'm');
    expect(parse(frames.toolCall({ type: 'tool_call_delta', index: 0, id: 'call_1', name: 'f', arguments: '' })).choices[0].delta.tool_calls).toEqual([
      { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } },
    ]);
    expect(parse(frames.toolCall({ type: 'tool_call_delta', index: 0, arguments: '{"a":1}' })).choices[0].delta.tool_calls).toEqual([
      { index: 0, function: { arguments: '{"a":1}' } },
    ]);
  });

  it('ends with an empty delta and the finish reason; a bare finish still names the role', () => {
    const frames = new ChunkFrames('c', 1, 'm');
    frames.content('x');
    expect(parse(frames.finish('stop')).choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(parse(new ChunkFrames('c', 1, 'm').finish('length')).choices[0].delta).toEqual({ role: 'assistant' });
  });

  it('sends usage in a chunk with no choices, in OpenAI terms', () => {
    const usage = parse(new ChunkFrames('c', 1, 'm').usage({ prompt_tokens: 10, completion_tokens: 4, total_tokens: 14, cached_tokens: 6, reasoning_tokens: 2 }));
    expect(usage).toEqual({
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14, prompt_tokens_details: { cached_tokens: 6 }, completion_tokens_details: { reasoning_tokens: 2 } },
    });
  });

  it('marks extension frames with their own object and no choices', () => {
    const frames = new ChunkFrames('c', 1, 'm');
    expect(parse(frames.warning('fell back', undefined))).toEqual({ object: 'service.warning', id: 'c', created: 1, model: 'm', choices: [], warnings: ['fell back'] });
    const end = parse(frames.toolEnd({ type: 'tool_end', id: 't1', name: 'time', result: 'x'.repeat(5000), durationMs: 12.4 }));
    expect(end).toMatchObject({ object: 'service.tool_event', event: 'tool_end', tool_call_id: 't1', is_error: false, duration_ms: 12 });
    expect(end.result.length).toBeLessThan(2100);
  });

  it('writes the in-band error frame in OpenAI error shape', () => {
    expect(parse(errorFrame(apiError('LLMB_ERR_UPSTREAM_TIMEOUT', 'stalled')))).toEqual({
      error: { message: 'stalled', type: 'upstream_error', code: 'LLMB_ERR_UPSTREAM_TIMEOUT', param: null },
    });
  });
});
