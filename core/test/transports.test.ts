import { describe, expect, it } from 'vitest';
import { definePlugin, defineTransport, isLlmbError, type AnyPlugin } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/core';

/** Two transports that record being started and stopped, and announce where they listen. */
function listeners() {
  const events: string[] = [];
  const transport = (id: string) =>
    defineTransport({
      id,
      start(ctx) {
        events.push(`start ${id}`);
        ctx.announce(`proto://${id}`);
        return () => void events.push(`stop ${id}`);
      },
    });
  const plugin = definePlugin({ id: 'listeners', version: '1.0.0', sdk: '^0.1.0', contributes: { transports: [transport('http'), transport('socket')] } });
  const other = definePlugin({ id: 'other', version: '1.0.0', sdk: '^0.1.0', contributes: { transports: [transport('pipe')] } });
  return { events, plugins: [plugin, other] as AnyPlugin[] };
}

describe('choosing transports', () => {
  it('starts only the transports named, and stops only those', async () => {
    const { events, plugins } = listeners();
    const host = await createTestHost({ plugins, transports: ['socket'] });
    expect(host.endpoints()).toEqual([{ transport: 'socket', url: 'proto://socket' }]);
    await host.close();
    expect(events).toEqual(['start socket', 'stop socket']);
  });

  it('starts every transport with true, and none with false or an empty list', async () => {
    for (const [transports, started] of [
      [true, ['http', 'socket', 'pipe']],
      [false, []],
      [[], []],
    ] as const) {
      const { plugins } = listeners();
      const host = await createTestHost({ plugins, transports });
      expect(host.endpoints().map((e) => e.transport)).toEqual(started);
      await host.close();
    }
  });

  it('refuses to boot on a transport id no loaded plugin contributes, naming the known ones, before any setup', async () => {
    const { events, plugins } = listeners();
    let setupRan = false;
    const watched = definePlugin({ id: 'watched', version: '1.0.0', sdk: '^0.1.0', setup: () => void (setupRan = true) });
    const error = await createTestHost({ plugins: [...plugins, watched], transports: ['http', 'openai-http'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLlmbError(error) && error.code).toBe('LLMB_ERR_BOOT');
    expect((error as Error).message).toContain(
      "[LLMB_ERR_CONFIG] transport 'openai-http' is not contributed by any loaded plugin; known transports: http (plugin listeners), socket (plugin listeners), pipe (plugin other)",
    );
    expect(setupRan).toBe(false);
    expect(events).toEqual([]);
  });

  it('says so when no loaded plugin contributes any transport', async () => {
    await expect(createTestHost({ plugins: [], transports: ['openai-http'] })).rejects.toThrow(
      /transport 'openai-http' is not contributed by any loaded plugin; no loaded plugin contributes a transport/,
    );
  });
});
