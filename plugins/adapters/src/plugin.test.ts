import providerOpenai from '@llm-bawt/plugin-provider-openai';
import { createScriptedUpstream, createTestHost, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import adapters from './index.js';

let up: ScriptedUpstream;
let host: TestHost;
beforeAll(async () => {
  up = await createScriptedUpstream();
  const base = { provider: 'openai-compatible', base_url: up.openaiBaseUrl };
  host = await createTestHost({
    plugins: [providerOpenai, adapters],
    bots: [{ slug: 'test' }, { slug: 'strict', settings: { adapter: 'default' } }],
    models: [
      { alias: 'plain', model: 'llama-3-8b', ...base },
      { alias: 'mythomax', model: 'mythomax-l2-13b', ...base },
      { alias: 'dolphin', model: 'dolphin-2.9', options: { adapter: 'dolphin' }, ...base },
    ],
    defaultModel: 'plain',
    settings: { upstream_max_retries: 0 },
  });
});
afterAll(async () => {
  await host.close();
  await up.close();
});
beforeEach(() => up.reset());

const ask = (model: string, stream: boolean, botId = 'test') => host.ask({ botId, model, stream, messages: [{ role: 'user', content: 'hi' }] });

describe('adapters in a turn', () => {
  it('detects pygmalion from the model name: its stops go upstream, its cleanup runs per chunk', async () => {
    up.script({ text: ['She [', 'b]smiles[/b].\n[HU', 'MAN] and you?'] });
    const { text, events, turn } = await ask('mythomax', true);
    expect(up.requests[0]?.body.stop).toEqual(expect.arrayContaining(['[HUMAN]', '[INST]', '### Instruction:']));
    expect(text).toBe('She smiles.\n');
    expect(events.filter((e) => e.type === 'text').length).toBeGreaterThan(1);
    expect(turn.reply.content).toBe('She smiles.');
    expect(turn.outputs.MESSAGE_ASSEMBLY).toMatchObject({ adapter: 'pygmalion' });
  });

  it('uses the adapter models.yaml names in options.adapter', async () => {
    up.script({ text: 'It is 4.\nObservation: 5' });
    const { text } = await ask('dolphin', false);
    expect(up.requests[0]?.body.stop).toEqual(['\nObservation:']);
    expect(text).toBe('It is 4.');
  });

  it('lets a bot setting win over detection', async () => {
    up.script({ text: '[b]bold[/b]' });
    const { text } = await ask('mythomax', false, 'strict');
    expect(up.requests[0]?.body.stop).toBeUndefined();
    expect(text).toBe('[b]bold[/b]');
  });

  it('gives other models the default adapter: no stops, leaked tokens cut, held text released at the end', async () => {
    up.script({ text: ['Done.', '<|im_', 'end|>junk'] });
    expect((await ask('plain', true)).text).toBe('Done.');
    expect(up.requests[0]?.body.stop).toBeUndefined();

    up.script({ text: ['a < b <|', 'im'] });
    const { text, turn } = await ask('plain', true);
    expect(text).toBe('a < b <|im');
    expect(turn.reply.content).toBe('a < b <|im');
  });
});
