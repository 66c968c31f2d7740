import { writeFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createRef, silentLogger } from '@llm-bawt/sdk';
import { bootHost, planBoot } from '../src/index.js';
import { BOTS_YAML, fixtureFrom, LOCAL_MODELS_YAML, makeProject } from './helpers.js';

// Refs are keyed by Symbol.for(id): these reach the values the jiti-loaded plugins provide.
const traceLogRef = createRef<string[]>({ id: 'trace.log' });
const greeterRef = createRef<{ turns(botId?: string): number }>({ id: 'hello.greeter' });

async function bootProject() {
  const dir = makeProject({ 'bots.yaml': BOTS_YAML, 'models.yaml': LOCAL_MODELS_YAML });
  const config = [
    'plugins:',
    `  - ${fixtureFrom(dir, 'trace-plugin.ts')}`,
    '  - "@llm-bawt/example-hello-plugin"',
    '  - "@llm-bawt/plugin-provider-openai"',
    'plugin_config:',
    '  hello:',
    '    greeting: Ahoy',
    '    shout: true',
    '',
  ].join('\n');
  writeFileSync(`${dir}/llm-bawt.config.yaml`, config);
  const plan = await planBoot({ flags: {}, env: {}, cwd: dir, homeDir: dir });
  expect(plan.problems).toEqual([]);
  return bootHost(plan, { transports: false, logger: silentLogger });
}

async function ask(host: Awaited<ReturnType<typeof bootProject>>, content: string) {
  const stream = await host.runTurn({ messages: [{ role: 'user', content }] });
  let text = '';
  for await (const event of stream.events) if (event.type === 'text') text += event.text;
  return { text, turn: await stream.done };
}

describe('plugins loaded from a relative .ts path and from a workspace package name', () => {
  it('boots them in dependency-then-id order and records where each came from', async () => {
    const host = await bootProject();
    try {
      expect(host.plugins().map((p) => [p.id, p.source])).toEqual([
        ['hello', '@llm-bawt/example-hello-plugin'],
        ['provider-openai', '@llm-bawt/plugin-provider-openai'],
        ['trace', expect.stringMatching(/fixtures\/trace-plugin\.ts$/)],
      ]);
      expect(host.plugins().find((p) => p.id === 'hello')).toMatchObject({ provides: ['hello.greeter'], contributes: { tools: ['say_hello'] } });
    } finally {
      await host.close();
    }
  });

  it('runs every hook in its stage, in stage order, with buckets and plugin order inside a stage', async () => {
    const host = await bootProject();
    try {
      const { text, turn } = await ask(host, 'Hi there');
      // hello's CONTEXT_BUILD ran before trace's (same bucket, id order); its onChunk shouted
      // the text before trace's onChunk saw it; the memory fragment reached the prompt.
      expect(text).toContain('ECHO: YOU TRACE.');
      expect(text).toContain('GREET THEM BACK WITH "AHOY"');
      expect(text).toContain('THE USER LIKES SAILING.');
      expect(turn.status).toBe('ok');
      const log = host.get(traceLogRef);
      await vi.waitFor(() => expect(log.at(-1)).toBe('POST_PROCESS ok'));
      expect(log).toEqual([
        'PRE_PROCESS',
        'CONTEXT_BUILD sees hello section: true',
        'MEMORY_RETRIEVAL',
        'HISTORY_FILTER',
        'MESSAGE_ASSEMBLY',
        'EXECUTE',
        'onChunk text ECHO: YOU ',
        'onChunk finish',
        'POST_PROCESS ok',
      ]);
      await vi.waitFor(() => expect(host.get(greeterRef).turns('tracer')).toBe(1));
    } finally {
      await host.close();
    }
  });

  it("lets a PRE_PROCESS hook answer with finish(): later stages never run; the 'pre' bucket ran first", async () => {
    const host = await bootProject();
    try {
      await ask(host, 'warm up');
      await vi.waitFor(() => expect(host.get(greeterRef).turns()).toBe(1));
      const log = host.get(traceLogRef);
      log.length = 0;
      const { text } = await ask(host, '/hello Ada');
      expect(text).toBe('Ahoy, Ada! Tracer here; 1 turns so far.');
      await vi.waitFor(() => expect(log).toEqual(['PRE_PROCESS', 'POST_PROCESS ok']));
    } finally {
      await host.close();
    }
  });
});
