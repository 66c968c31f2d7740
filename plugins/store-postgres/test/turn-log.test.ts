import { coreRefs, defineAgentBackend, definePlugin, type TurnEvent } from '@llm-bawt/sdk';
import type { TestHost } from '@llm-bawt/sdk/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeRef, type Store, type TurnLogRecord } from '../src/index.js';
import { backends, bootHost, eventually, open, tableCounts } from './backends.js';

const SECRET = 'sk-live-0123456789abcdefghij';

/** Answers "echo: <last user message>"; runs a fake tool when asked; fails on "fail". */
const echoAgent = defineAgentBackend({
  id: 'echo',
  async *run(assembly): AsyncIterable<TurnEvent> {
    const last = assembly.messages.findLast((m) => m.role === 'user');
    const text = typeof last?.content === 'string' ? last.content : '';
    if (text.includes('fail')) throw new Error(`upstream refused; key was ${SECRET}`);
    if (text.includes('tool')) {
      yield { type: 'tool_start', id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' };
      yield { type: 'tool_end', id: 'call_1', name: 'lookup', result: `found it with ${SECRET}`, durationMs: 3 };
    }
    yield { type: 'text', text: `echo: ${text}` };
    yield { type: 'usage', usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } };
    yield { type: 'finish', reason: 'stop' };
  },
});

/** Records the request-scoped EntityManager each turn got from `coreRefs.db`. */
const seen: EntityManager[] = [];
const echoPlugin = definePlugin({
  id: 'echo-agent',
  version: '0.1.0',
  sdk: '^0.1.0',
  requires: { db: coreRefs.db },
  contributes: { agents: [echoAgent] },
  hooks: {
    CONTEXT_BUILD: {
      when: (ctx) => ctx.bot.requires_memory,
      handler: async (_prompt, ctx) => {
        const em = ctx.deps.db as EntityManager;
        await em.getConnection().execute('SELECT 1');
        seen.push(em, ctx.deps.db as EntityManager);
      },
    },
  },
});

const bots = [
  { slug: 'nova', requires_memory: true, agent_backend: 'echo' },
  { slug: 'scribe', requires_memory: true, agent_backend: 'echo', settings: { turn_log: 'full' } },
  { slug: 'quiet', requires_memory: true, agent_backend: 'echo', settings: { turn_log: 'off' } },
  { slug: 'spark', requires_memory: false, agent_backend: 'echo' },
];

async function logOf(store: Store, botId: string, requestId: string): Promise<TurnLogRecord> {
  return eventually(async () => (await store.turnLogs.list({ botId })).items.find((log) => log.requestId === requestId));
}

describe.each(backends)('turn logs on $name', (backend) => {
  let host: TestHost;
  let store: Store;
  beforeAll(async () => {
    host = await bootHost(backend, { plugins: [echoPlugin], bots, env: { OPENAI_API_KEY: SECRET } });
    store = host.get(storeRef);
  });
  afterAll(async () => {
    await host?.close();
    await backend.cleanup();
  });

  it('logs metadata for a memory bot: status, timings, usage, no text', async () => {
    const { text, turn } = await host.ask({ botId: 'nova', userId: 'u1', sessionId: 's1', messages: [{ role: 'user', content: 'hello there' }] });
    expect(text).toBe('echo: hello there');
    const log = await logOf(store, 'nova', turn.requestId);
    expect(log).toMatchObject({ botId: 'nova', userId: 'u1', sessionId: 's1', model: 'nova', status: 'ok', level: 'metadata', finishReason: 'stop', promptTokens: 7, completionTokens: 3, totalTokens: 10, tools: [] });
    expect(log.requestMessages).toBeNull();
    expect(log.responseText).toBeNull();
    expect(Object.keys(log.timings)).toEqual(expect.arrayContaining(['PRE_PROCESS', 'CONTEXT_BUILD', 'EXECUTE']));
    expect(log.durationMs).toBeGreaterThanOrEqual(0);
    expect((await store.turnLogs.get(log.id))?.toolCalls).toEqual([]);
  });

  it('gives each request its own EntityManager fork through coreRefs.db', async () => {
    seen.length = 0;
    await host.ask({ botId: 'nova', messages: [{ role: 'user', content: 'one' }] });
    await host.ask({ botId: 'nova', messages: [{ role: 'user', content: 'two' }] });
    expect(seen).toHaveLength(4);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).toBe(seen[3]);
    expect(seen[0]).not.toBe(seen[2]);
  });

  it('logs messages, reply and tool calls at turn_log=full, with secrets redacted', async () => {
    const { turn } = await host.ask({ botId: 'scribe', userId: 'u2', messages: [{ role: 'user', content: `use the tool; my key is ${SECRET}` }] });
    const log = await logOf(store, 'scribe', turn.requestId);
    expect(log.level).toBe('full');
    expect(log.tools).toEqual(['lookup']);
    expect(log.responseText).toBe('echo: use the tool; my key is [redacted]');
    expect(JSON.stringify(log.requestMessages)).toContain('my key is [redacted]');
    expect(JSON.stringify(log)).not.toContain(SECRET);
    const full = await store.turnLogs.get(log.id);
    expect(full?.toolCalls).toEqual([
      expect.objectContaining({ turnLogId: log.id, position: 0, callId: 'call_1', name: 'lookup', resultPreview: 'found it with [redacted]', durationMs: 3, error: null }),
    ]);
    expect(JSON.stringify(full)).not.toContain(SECRET);
  });

  it('logs failed turns with their error code and a redacted message', async () => {
    const stream = await host.runTurn({ botId: 'nova', userId: 'u3', messages: [{ role: 'user', content: 'please fail' }] });
    await expect((async () => {
      for await (const _ of stream.events) void _;
    })()).rejects.toThrow();
    const log = await logOf(store, 'nova', stream.requestId);
    expect(log.status).toBe('error');
    expect(log.errorCode).toMatch(/^LLMB_ERR_/);
    expect(log.errorMessage).toContain('[redacted]');
    expect(log.errorMessage).not.toContain(SECRET);
  });

  it('lists newest first with filters and cursor pagination', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const { turn } = await host.ask({ botId: 'nova', userId: 'pager', messages: [{ role: 'user', content: `page ${n}` }] });
      ids.push((await logOf(store, 'nova', turn.requestId)).id);
    }
    const seenIds: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.turnLogs.list({ userId: 'pager', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seenIds.push(...page.items.map((log) => log.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seenIds).toEqual(ids.toReversed());
    expect((await store.turnLogs.list({ status: 'error' })).items.every((log) => log.status === 'error')).toBe(true);
    expect((await store.turnLogs.list({ botId: 'scribe' })).items).toHaveLength(1);
    expect((await store.turnLogs.list({ since: new Date(Date.now() + 60_000) })).items).toEqual([]);
    expect((await store.turnLogs.list({ until: new Date(0) })).items).toEqual([]);
    await expect(store.turnLogs.list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'LLMB_ERR_INVALID_REQUEST' });
  });

  it('writes nothing at all for a stateless bot, nor for turn_log=off', async () => {
    const before = await tableCounts(store);
    expect(before.turn_logs).toBeGreaterThan(0);
    await host.ask({ botId: 'spark', messages: [{ role: 'user', content: 'use the tool please' }] });
    await host.ask({ botId: 'quiet', messages: [{ role: 'user', content: 'hello' }] });
    const failing = await host.runTurn({ botId: 'spark', messages: [{ role: 'user', content: 'fail now' }] });
    await (async () => {
      for await (const _ of failing.events) void _;
    })().catch(() => undefined);
    // Closing the host waits for detached POST_PROCESS work, so nothing can land later.
    await host.close();
    const reopened = await open(backend);
    try {
      expect(await tableCounts(reopened)).toEqual(before);
    } finally {
      await reopened.close();
    }
  });
});
