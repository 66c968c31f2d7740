import { describe, expect, it } from 'vitest';
import { defineAgentBackend, definePlugin } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/sdk/testing';

describe('createTestHost from the sdk', () => {
  it('boots a real host with the plugins given and runs a turn', async () => {
    const backend = defineAgentBackend({
      id: 'upper',
      async *run(assembly) {
        yield { type: 'text', text: String(assembly.messages.at(-1)?.content).toUpperCase() };
      },
    });
    const plugin = definePlugin({ id: 'upper-agent', version: '1.0.0', sdk: '^0.1.0', contributes: { agents: [backend] } });
    const host = await createTestHost({ plugins: [plugin], bots: [{ slug: 'u', agent_backend: 'upper' }] });
    expect(host.state).toBe('ready');
    expect((await host.ask('shout')).text).toBe('SHOUT');
    await host.close();
    expect(host.state).toBe('closed');
  });
});
