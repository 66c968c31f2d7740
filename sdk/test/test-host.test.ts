import { describe, expect, it } from 'vitest';
import { createError, defineAgentBackend, definePlugin, defineProvider, routeScope, silentLogger } from '@llm-bawt/sdk';
import { createProviderTest, createTestHost, eventsOfType, reassembleToolCalls } from '@llm-bawt/sdk/testing';

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

describe('createProviderTest', () => {
  it('points the alias at the scripted upstream and collects events and coded errors', async () => {
    // Reports the URL it was given, then a tool call split over two deltas.
    const provider = defineProvider({
      id: 'echo-url',
      kinds: ['echo-url'],
      check: () => ({ usable: true }),
      create: (model) => ({
        capabilities: { nativeTools: true, vision: false, reasoning: false },
        async *generate(request) {
          if (request.params.temperature === 2) throw createError('LLMB_ERR_UPSTREAM', 'too hot');
          yield { type: 'text', text: model.base_url ?? '' };
          yield { type: 'tool_call_delta', index: 0, id: 'c1', name: 'f', arguments: '{"a":' };
          yield { type: 'tool_call_delta', index: 0, arguments: '1}' };
        },
      }),
    });
    const { upstream, spec, request, collect, failure } = await createProviderTest({
      provider,
      format: 'xai',
      model: { alias: 'e', provider: 'echo-url', model: 'm' },
      env: { env: {}, logger: silentLogger },
    });
    try {
      expect(spec().base_url).toBe(upstream.xaiBaseUrl);
      const events = await collect(true);
      expect(eventsOfType(events, 'text')).toEqual([{ type: 'text', text: upstream.xaiBaseUrl }]);
      expect(reassembleToolCalls(events)).toEqual([{ id: 'c1', name: 'f', arguments: '{"a":1}' }]);
      expect((await failure(false, request({ params: { temperature: 2 } }))).message).toBe('too hot');
      await expect(failure(false)).rejects.toThrow(/expected a coded error/);
    } finally {
      await upstream.close();
    }
  });
});

describe('routeScope', () => {
  it("gives a route the named bot and user, else the host's default bot and default user", async () => {
    const host = await createTestHost({ bots: [{ slug: 'nova' }, { slug: 'spark' }], defaultUser: 'ada' });
    try {
      const ctx = { host };
      expect(routeScope({}, ctx)).toEqual({ botId: host.bots.defaultSlug(), userId: 'ada' });
      expect(routeScope({ bot_id: 'spark', user: 'bo' }, ctx)).toEqual({ botId: 'spark', userId: 'bo' });
      expect(() => routeScope({ bot_id: 'nobody' }, ctx)).toThrow(expect.objectContaining({ code: 'LLMB_ERR_UNKNOWN_BOT', message: "The bot 'nobody' does not exist" }));
    } finally {
      await host.close();
    }
  });
});
