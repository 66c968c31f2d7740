import { describe, expect, it, vi } from 'vitest';
import { defineAgentBackend, definePlugin, isLlmbError } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/sdk/testing';
import hello, { greeterRef } from './index.js';

// Answers with the system prompt it was sent, so a test can see what CONTEXT_BUILD built.
const echo = definePlugin({
  id: 'echo',
  version: '0.1.0',
  sdk: '^0.1.0',
  contributes: {
    agents: [
      defineAgentBackend({
        id: 'echo',
        async *run(assembly) {
          yield { type: 'text', text: String(assembly.messages[0]?.content) };
          yield { type: 'finish', reason: 'stop' };
        },
      }),
    ],
  },
});

const bots = [
  { slug: 'ada', name: 'Ada', agent_backend: 'echo', system_prompt: 'You are Ada.' },
  { slug: 'loud', name: 'Loud', agent_backend: 'echo', system_prompt: 'You are loud.', plugins: { hello: { shout: true } } },
];

describe('the hello example plugin', () => {
  it('answers /hello itself in PRE_PROCESS, with the configured greeting', async () => {
    const host = await createTestHost({ plugins: [hello, echo], bots, pluginConfig: { hello: { greeting: 'Ahoy' } } });
    try {
      const { text, turn } = await host.ask('/hello Grace');
      expect(text).toBe('Ahoy, Grace! Ada here; 0 turns so far.');
      expect(turn.status).toBe('ok');
    } finally {
      await host.close();
    }
  });

  it('adds its prompt section in CONTEXT_BUILD, after the persona', async () => {
    const host = await createTestHost({ plugins: [hello, echo], bots });
    try {
      const { text } = await host.ask('Hi');
      expect(text).toBe('You are Ada.\n\nWhen the user greets you, greet them back with "Hello".');
    } finally {
      await host.close();
    }
  });

  it("shouts streamed text through onChunk only for bots whose 'hello' section turns shout on", async () => {
    const host = await createTestHost({ plugins: [hello, echo], bots });
    try {
      expect((await host.ask({ botId: 'loud', messages: [{ role: 'user', content: 'Hi' }] })).text).toBe('YOU ARE LOUD.\n\nWHEN THE USER GREETS YOU, GREET THEM BACK WITH "HELLO".');
      expect((await host.ask({ botId: 'ada', messages: [{ role: 'user', content: 'Hi' }] })).text).toMatch(/^You are Ada\./);
    } finally {
      await host.close();
    }
  });

  it('counts finished turns per bot in POST_PROCESS and shares the count through its ref', async () => {
    const host = await createTestHost({ plugins: [hello, echo], bots });
    try {
      await host.ask('one');
      await host.ask('two');
      const greeter = host.get(greeterRef);
      await vi.waitFor(() => expect(greeter.turns('ada')).toBe(2));
      expect(greeter.turns('loud')).toBe(0);
      expect(greeter.greet('Lin')).toBe('Hello, Lin!');
    } finally {
      await host.close();
    }
  });

  it('refuses to boot with an invalid config, naming the plugin and the path', async () => {
    const failure = await createTestHost({ plugins: [hello, echo], bots, pluginConfig: { hello: { greeting: '' } } }).catch((error: unknown) => error);
    expect(isLlmbError(failure) && failure.code).toBe('LLMB_ERR_BOOT');
    expect((failure as Error).message).toContain("plugin 'hello' config at 'greeting': must not be empty");
  });
});
