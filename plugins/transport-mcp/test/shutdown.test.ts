import type { Logger } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/sdk/testing';
import storePostgres, { storeRef } from '@llm-bawt/plugin-store-postgres';
import { afterAll, describe, expect, it } from 'vitest';
import transportMcp from '../src/index.js';
import { ALL_PLUGINS, backends, eventually } from './kit.js';

/** Keeps every warning and error, with the bindings of the logger that wrote it. */
function recordingLogger(bindings: Record<string, unknown> = {}, lines: string[] = []): Logger & { lines: string[] } {
  const at = Object.entries(bindings).map(([key, value]) => `${key}=${String(value)}`).join(' ');
  const record = (level: string) => (message: string) => void lines.push(`${level} [${at}] ${message}`);
  return {
    lines,
    debug: () => undefined,
    info: () => undefined,
    warn: record('WARN'),
    error: record('ERROR'),
    child: (more) => recordingLogger({ ...bindings, ...more }, lines),
  };
}

describe.each(backends)('delivery sweeps and shutdown on $name', (backend) => {
  afterAll(() => backend.cleanup());

  const boot = async (slot: string, logger: Logger, delivery: Record<string, unknown> = {}) =>
    createTestHost({
      // The default plugin set: memory-semantic's own work at host:ready keeps the database busy,
      // so the first sweep is still waiting for a connection when the host closes.
      plugins: [storePostgres, ...ALL_PLUGINS, transportMcp],
      bots: [{ slug: 'nova' }],
      pluginConfig: { 'store-postgres': await backend.config(slot, { ephemeral: true }), 'transport-mcp': { delivery } },
      logger,
    });

  it('closing right after boot, as `llm-bawt plugins` does, warns about nothing', async () => {
    const logger = recordingLogger();
    const host = await boot('shutdown', logger);
    await host.close();
    expect(logger.lines).toEqual([]);
  });

  it('a sweep that fails while the host runs still warns, naming the cause', async () => {
    const logger = recordingLogger();
    const host = await boot('broken-sweep', logger, { sweepMs: 50 });
    try {
      await host.get(storeRef).em().getConnection().execute('ALTER TABLE bot_messages RENAME TO bot_messages_moved');
      const line = await eventually(async () => logger.lines.find((l) => l.includes('delivery sweep failed')));
      expect(line).toMatch(/^WARN \[plugin=transport-mcp component=bot-deliveries\] delivery sweep failed: .*bot_messages/);
    } finally {
      await host.close();
    }
  });
});
