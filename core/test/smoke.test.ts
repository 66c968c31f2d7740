import { describe, expect, it } from 'vitest';
import { definePlugin, defineAgentBackend } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/core';

describe('smoke', () => {
  it('runs a turn end to end through an agent backend', async () => {
    const echo = defineAgentBackend({
      id: 'echo',
      async *run(assembly) {
        yield { type: 'text', text: `sys=${String(assembly.messages[0]?.content)}` };
        yield { type: 'finish', reason: 'stop' };
      },
    });
    const plugin = definePlugin({ id: 'echo-agent', version: '0.1.0', sdk: '^0.1.0', contributes: { agents: [echo] } });
    const host = await createTestHost({ plugins: [plugin], bots: [{ slug: 'e', agent_backend: 'echo', system_prompt: 'Be echo.' }] });
    const result = await host.ask('hi');
    expect(result.text).toBe('sys=Be echo.');
    expect(result.turn.status).toBe('ok');
    await host.close();
  });
});
