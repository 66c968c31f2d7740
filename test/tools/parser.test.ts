import { describe, expect, it } from 'vitest';
import { normalizeArguments, resolveToolName } from '../../core/src/tools/aliases.js';
import { matchBrackets, parseLooseObject, repairJson } from '../../core/src/tools/json-repair.js';
import { ReactGate } from '../../core/src/tools/react-gate.js';
import { parseReact, sanitizeFinal } from '../../core/src/tools/react-parser.js';

const call = (text: string) => {
  const parsed = parseReact(text);
  if (parsed.kind !== 'call') throw new Error(`expected a call, got final: ${parsed.text}`);
  return parsed;
};

describe('parseReact: Action / Action Input', () => {
  it('reads a tool name and a JSON object', () => {
    const text = 'Thought: look it up\nAction: search\nAction Input: {"query": "llamas", "max_results": 3}';
    expect(call(text)).toEqual({ kind: 'call', name: 'search', arguments: { query: 'llamas', max_results: 3 }, end: text.length, form: 'action' });
  });

  it('is case-insensitive and takes the name from the next line when the Action line is bare', () => {
    expect(call('ACTION:\n  memory\naction input: {"action": "search"}')).toMatchObject({ name: 'memory', arguments: { action: 'search' } });
  });

  it('tidies names in backticks, bold, quotes or with parentheses', () => {
    expect(call('**Action:** `web_fetch`\nAction Input: {"url": "https://x.y"}').name).toBe('web_fetch');
    expect(call('Action: "time()"\nAction Input: {}').name).toBe('time');
  });

  it('matches braces inside strings and stops at the object end', () => {
    const text = 'Action: memory\nAction Input: {"content": "a } and { inside", "tags": ["x}"]}\nObservation: made up';
    const parsed = call(text);
    expect(parsed.arguments).toEqual({ content: 'a } and { inside', tags: ['x}'] });
    expect(text.slice(0, parsed.end)).toBe('Action: memory\nAction Input: {"content": "a } and { inside", "tags": ["x}"]}');
  });

  it('closes an unterminated object (the stop sequence cut it)', () => {
    expect(call('Action: search\nAction Input: {"query": "tea", "opts": {"safe": true').arguments).toEqual({ query: 'tea', opts: { safe: true } });
  });

  it('falls back to JSON5 for single quotes, unquoted keys and comments', () => {
    expect(call("Action: search\nAction Input: {query: 'tea', /* why */ max_results: 2}").arguments).toEqual({ query: 'tea', max_results: 2 });
  });

  it('repairs trailing commas, excess closers and Python literals', () => {
    expect(call('Action: memory\nAction Input: {"action": "store", "content": "x", "pinned": True,}}}').arguments).toEqual({ action: 'store', content: 'x', pinned: true });
  });

  it('accepts JSON wrapped in a code fence after Action Input', () => {
    expect(call('Action: time\nAction Input:\n```json\n{"timezone": "Europe/Oslo"}\n```').arguments).toEqual({ timezone: 'Europe/Oslo' });
  });

  it('gives empty arguments without an Action Input, and an error for a non-object input', () => {
    expect(call('Action: time')).toMatchObject({ name: 'time', arguments: {} });
    expect(call('Action: search\nAction Input: llamas')).toMatchObject({ name: 'search', argumentsError: expect.stringContaining('JSON object') });
  });

  it('reports unreadable arguments instead of guessing', () => {
    expect(call('Action: search\nAction Input: {"query": tea time}')).toMatchObject({ arguments: {}, argumentsError: expect.stringContaining('not valid JSON') });
  });

  it('treats "Action: Final Answer" as a final answer', () => {
    expect(parseReact('Action: Final Answer\nAction Input: "It is noon."')).toEqual({ kind: 'final', text: 'It is noon.' });
  });

  it('in native-fallback mode needs an Action Input and ignores the other forms', () => {
    expect(parseReact('Action: time', { actionOnly: true })).toEqual({ kind: 'final', text: 'Action: time' });
    expect(parseReact('# Tool: time\nArguments: {}', { actionOnly: true }).kind).toBe('final');
    expect(parseReact('Action: time\nAction Input: {}', { actionOnly: true }).kind).toBe('call');
  });
});

describe('parseReact: the other forms', () => {
  it('reads # Tool: / # Arguments:', () => {
    expect(call('# Tool: search\n# Arguments: {"query": "tea"}')).toMatchObject({ name: 'search', arguments: { query: 'tea' }, form: 'tool' });
  });

  it('reads Tool: / Arguments: without hashes and inside backticks', () => {
    expect(call('Tool: `memory`\nArguments: {"action": "search"}')).toMatchObject({ name: 'memory', form: 'tool' });
    expect(call('`Tool: time`\n`Arguments:` {}')).toMatchObject({ name: 'time', form: 'tool' });
  });

  it('does not mistake prose "Tool:" without Arguments for a call', () => {
    expect(parseReact('Tool: a hammer is best here.')).toEqual({ kind: 'final', text: 'Tool: a hammer is best here.' });
  });

  it('reads a fenced {"name", "arguments"} block, with or without the json label', () => {
    expect(call('```json\n{"name": "search", "arguments": {"query": "tea"}}\n```')).toMatchObject({ name: 'search', arguments: { query: 'tea' }, form: 'fenced' });
    expect(call('Sure.\n```\n{"name": "time", "arguments": "{\\"timezone\\": \\"UTC\\"}"}\n```')).toMatchObject({ name: 'time', arguments: { timezone: 'UTC' } });
  });

  it('ignores fences that hold other code', () => {
    expect(parseReact('```js\nconst a = {name: 1};\n```').kind).toBe('final');
  });

  it('prefers Action over the other forms', () => {
    expect(call('# Tool: time\nArguments: {}\nAction: search\nAction Input: {"query": "q"}').name).toBe('search');
  });
});

describe('final answers', () => {
  it('keeps only the text after Final Answer:', () => {
    expect(parseReact('Thought: I know this.\nFinal Answer: Paris is the capital.')).toEqual({ kind: 'final', text: 'Paris is the capital.' });
  });

  it('passes plain text through', () => {
    expect(parseReact('Just an answer.\n\nWith two paragraphs.')).toEqual({ kind: 'final', text: 'Just an answer.\n\nWith two paragraphs.' });
  });

  it('drops protocol lines, tool blocks, tool-call XML and tool-JSON fences', () => {
    const text = [
      'Here is what I found.',
      'Thought: should I call more?',
      'Observation: leftover',
      '<tool_call>{"name": "x", "arguments": {}}</tool_call>',
      '```json',
      '{"name": "search", "arguments": {"query": "x"}}',
      '```',
      '# Tool: time',
      'Arguments: {}',
      '',
      'The end.',
    ].join('\n');
    expect(sanitizeFinal(text)).toBe('Here is what I found.\n\nThe end.');
  });

  it('drops a multi-line Action Input object with its line', () => {
    expect(sanitizeFinal('Answer.\nAction Input: {\n  "a": 1\n}\nMore.')).toBe('Answer.\nMore.');
  });

  it('keeps a thought when it is all the model said', () => {
    expect(sanitizeFinal('Thought: The answer is 4.')).toBe('The answer is 4.');
  });
});

describe('JSON helpers', () => {
  it('matches brackets aware of strings and escapes', () => {
    expect(matchBrackets('x {"a": "\\"}"} y', 2)).toEqual({ text: '{"a": "\\"}"}', end: 14, complete: true });
    expect(matchBrackets('{"a": [1, 2', 0)).toMatchObject({ complete: false });
  });

  it('repairs what models break', () => {
    expect(repairJson('{"a": [1, 2,')).toBe('{"a": [1, 2]}');
    expect(repairJson('{"a": "unterminated')).toBe('{"a": "unterminated"}');
    expect(repairJson('{"a": 1}}}')).toBe('{"a": 1}');
    expect(repairJson('{"a": None, "b": "None"}')).toBe('{"a": null, "b": "None"}');
  });

  it('parses leniently but only objects', () => {
    expect(parseLooseObject('{"a": 1,}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseLooseObject('[1]')).toMatchObject({ ok: false });
  });
});

const has = (names: string[]) => (name: string) => names.includes(name);

describe('aliases', () => {
  it('keeps exact names, then maps aliases and legacy names with default arguments', () => {
    expect(resolveToolName('search', has(['search']))).toEqual({ name: 'search', defaults: {} });
    expect(resolveToolName('google', has(['search']))).toEqual({ name: 'search', defaults: { type: 'web' } });
    expect(resolveToolName('news_search', has(['search']))).toEqual({ name: 'search', defaults: { type: 'news' } });
    expect(resolveToolName('Save-Memory', has(['memory']))).toEqual({ name: 'memory', defaults: { action: 'store' } });
    expect(resolveToolName('get_history', has(['history']))).toEqual({ name: 'history', defaults: { action: 'recent' } });
    expect(resolveToolName('current_model', has(['model']))).toEqual({ name: 'model', defaults: { action: 'current' } });
    expect(resolveToolName('get_current_time', has(['time']))).toEqual({ name: 'time', defaults: {} });
  });

  it('leaves a name alone when its target is not in the set', () => {
    expect(resolveToolName('google', has(['memory']))).toEqual({ name: 'google', defaults: {} });
  });

  it('renames argument keys only where the schema wants the target key', () => {
    expect(normalizeArguments({ q: 'x', num_results: 3 }, new Set(['query', 'max_results']))).toEqual({ query: 'x', max_results: 3 });
    expect(normalizeArguments({ max_results: 3, text: 'y' }, new Set(['n_results', 'content']))).toEqual({ n_results: 3, content: 'y' });
    expect(normalizeArguments({ limit: 3 }, new Set(['limit', 'max_results']))).toEqual({ limit: 3 });
    expect(normalizeArguments({ count: 4 }, new Set(['n_messages']))).toEqual({ n_messages: 4 });
  });
});

function run(mode: 'react' | 'native', chunks: string[]) {
  const gate = new ReactGate(mode);
  let out = '';
  for (const chunk of chunks) out += gate.push(chunk);
  const end = gate.end();
  return { out: out + end.out, end };
}

describe('ReactGate (streaming)', () => {
  it('streams prose as it comes, holding only a possible marker', () => {
    const gate = new ReactGate('react');
    expect(gate.push('Hel')).toBe('Hel');
    expect(gate.push('lo\nT')).toBe('lo\n');
    expect(gate.push('here')).toBe('There');
  });

  it('drops thoughts, cuts Final Answer off its line, and streams the answer', () => {
    expect(run('react', ['Thou', 'ght: hmm\nFinal', ' Answer:  It', ' is 5.\nObservation: x\nMore text']).out).toBe('It is 5.\nMore text');
  });

  it('finds a final answer inside a Thought line', () => {
    expect(run('react', ['Thought: easy. Final Answer: 42']).out).toBe('42');
  });

  it('captures from an Action line on, with the marker split across chunks', () => {
    const { out, end } = run('react', ['I will check.\nAc', 'tion: ti', 'me\nAction Input: {}']);
    expect(out).toBe('I will check.\n');
    expect(end.captured).toBe('Action: time\nAction Input: {}');
    expect(end.raw.slice(end.captureStart)).toBe(end.captured);
  });

  it('captures a bare or json fence, but streams other code', () => {
    expect(run('react', ['``', '`json\n{"name": "time"', ', "arguments": {}}\n```']).end.captured).toMatch(/^```json/);
    expect(run('react', ['```py', 'thon\nprint(1)\n```']).out).toBe('```python\nprint(1)\n```');
  });

  it('drops protocol lines after a final answer instead of capturing them', () => {
    const { out, end } = run('react', ['Final Answer: done.\nAction: time\nAction Input: {}']);
    expect(out).toBe('done.\n');
    expect(end.captured).toBeUndefined();
    expect(end.sawFinal).toBe(true);
  });

  it('in native mode watches only for Action lines', () => {
    expect(run('native', ['Thought: fine\nFinal Answer: ok']).out).toBe('Thought: fine\nFinal Answer: ok');
    expect(run('native', ['Sure.\nAction: clock\nAction Input: {}']).end.captured).toBe('Action: clock\nAction Input: {}');
  });

  it('does not look for markers inside a code block the model writes as prose', () => {
    const { out, end } = run('react', ['```python\nAction: not a call\n``', '`\nAfter.']);
    expect(out).toBe('```python\nAction: not a call\n```\nAfter.');
    expect(end.captured).toBeUndefined();
  });

  it('lets a held line go once it is complete', () => {
    expect(run('react', ['Act\n', 'Tool']).out).toBe('Act\nTool');
  });
});
