import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import memoryHistory from '@llm-bawt/plugin-memory-history';
import memorySessions from '@llm-bawt/plugin-memory-sessions';
import { createError } from '@llm-bawt/sdk';
import { backends, bootMcp, BOTS, call, callError, eventually, type McpHost } from './kit.js';

// Bot-to-bot delivery through the target bot's own pipeline (the echo agent answers as it).
const pglite = backends.find((b) => b.name === 'pglite');

const rows = async (booted: McpHost, sql: string, params: unknown[] = []) =>
  (await booted.host.get(storeRef).em().getConnection().execute(sql, params, 'all')) as Record<string, unknown>[];

describe('bots_send_message', () => {
  let booted: McpHost;
  let client: Client;
  beforeAll(async () => {
    booted = await bootMcp(pglite, { slot: 'bots', plugins: [memoryHistory, memorySessions] });
    client = await booted.connect();
  });
  afterAll(() => booted?.close());

  it('nova messages spark and gets the reply; the delivery record shows it delivered', async () => {
    const sent = await call(client, 'bots_send_message', { bot_id: 'nova', user_id: 'ana', target_bot_id: 'spark', message: 'What is 2 + 2?' });
    expect(sent.status).toBe('delivered');
    expect(sent.reply).toBe("echo from spark: [Message from Nova (bot 'nova')]\nWhat is 2 + 2?");
    expect(booted.echo.calls.at(-1)).toEqual({ bot: 'spark', user: 'ana', text: "[Message from Nova (bot 'nova')]\nWhat is 2 + 2?" });
    const record = await call(client, 'bots_delivery_get', { bot_id: 'nova', user_id: 'ana', delivery_id: sent.delivery_id });
    expect(record).toMatchObject({ status: 'delivered', sender_bot_id: 'nova', target_bot_id: 'spark', user_id: 'ana', attempt_count: 1, reply: sent.reply });
    expect(record.delivered_at).toEqual(expect.any(String));
    // The target sees it as received.
    const received = await call(client, 'bots_deliveries_list', { bot_id: 'spark', user_id: 'ana', direction: 'received' });
    expect(received.deliveries.map((d: { id: string }) => d.id)).toEqual([sent.delivery_id]);
  });

  it("goes through the target's pipeline: a memory bot stores the exchange in its own history", async () => {
    const sent = await call(client, 'bots_send_message', { bot_id: 'spark', user_id: 'ana', target_bot_id: 'mira', message: 'Remember the plums' });
    expect(sent.status).toBe('delivered');
    await eventually(async () => (await rows(booted, "SELECT * FROM messages WHERE bot_id = 'mira' AND user_id = 'ana'")).length === 2);
    const stored = await rows(booted, "SELECT role, content FROM messages WHERE bot_id = 'mira' AND user_id = 'ana' ORDER BY created_at, seq");
    expect(stored.map((r) => r.role)).toEqual(['user', 'assistant']);
    expect(String(stored[0]?.content)).toContain('Remember the plums');
  });

  it('an idempotency key makes a repeated send return the first delivery, delivered once', async () => {
    const args = { bot_id: 'nova', user_id: 'ana', target_bot_id: 'spark', message: 'ping', idempotency_key: 'ping-1' };
    const before = booted.echo.calls.length;
    const first = await call(client, 'bots_send_message', args);
    const again = await call(client, 'bots_send_message', args);
    expect(again).toMatchObject({ delivery_id: first.delivery_id, deduplicated: true, status: 'delivered', reply: first.reply });
    expect(booted.echo.calls.length).toBe(before + 1);
    expect(await rows(booted, "SELECT id FROM bot_messages WHERE idempotency_key = 'ping-1'")).toHaveLength(1);
  });

  it('fire and forget returns at once; the reply is read later', async () => {
    const sent = await call(client, 'bots_send_message', { bot_id: 'nova', user_id: 'ana', target_bot_id: 'mira', message: 'later', fire_and_forget: true });
    expect(['queued', 'dispatching']).toContain(sent.status);
    expect(sent.reply).toBeUndefined();
    const settled = await call(client, 'bots_delivery_get', { bot_id: 'nova', user_id: 'ana', delivery_id: sent.delivery_id, wait_seconds: 10 });
    expect(settled).toMatchObject({ status: 'delivered', reply: expect.stringContaining('echo from mira') });
  });

  it('refuses an unknown target, a message to oneself, and writes nothing', async () => {
    const before = await booted.counts();
    expect(await callError(client, 'bots_send_message', { bot_id: 'nova', target_bot_id: 'ghost', message: 'hi' })).toMatch(/LLMB_ERR_UNKNOWN_BOT \(target_bot_id\)/);
    expect(await callError(client, 'bots_send_message', { bot_id: 'nova', target_bot_id: 'nova', message: 'hi' })).toMatch(/itself/);
    expect(await booted.counts()).toEqual(before);
  });

  it("another user, or a bot that is neither sender nor target, cannot see or cancel a delivery", async () => {
    const sent = await call(client, 'bots_send_message', { bot_id: 'nova', user_id: 'ana', target_bot_id: 'spark', message: 'private' });
    expect(await callError(client, 'bots_delivery_get', { bot_id: 'nova', user_id: 'yuki', delivery_id: sent.delivery_id })).toMatch(/LLMB_ERR_NOT_FOUND/);
    expect(await callError(client, 'bots_delivery_get', { bot_id: 'mira', user_id: 'ana', delivery_id: sent.delivery_id })).toMatch(/LLMB_ERR_NOT_FOUND/);
    expect(await callError(client, 'bots_delivery_cancel', { bot_id: 'mira', user_id: 'ana', delivery_id: sent.delivery_id })).toMatch(/LLMB_ERR_NOT_FOUND/);
    expect((await call(client, 'bots_deliveries_list', { bot_id: 'nova', user_id: 'yuki' })).count).toBe(0);
  });

  it('lists the bots one can message', async () => {
    const { bots } = await call(client, 'bots_list_available', { bot_id: 'nova' });
    expect(bots.map((b: { id: string }) => b.id)).toEqual(['nova', 'mira', 'spark']);
    expect(bots.find((b: { id: string }) => b.id === 'nova')).toMatchObject({ is_you: true, is_default: true, requires_memory: true });
  });
});

describe('slow targets', () => {
  let booted: McpHost;
  let client: Client;
  beforeAll(async () => {
    booted = await bootMcp(pglite, {
      slot: 'slow-bots',
      plugins: [],
      echoDelayMs: 1_500,
      bots: [...BOTS, { slug: 'flaky', agent_backend: 'echo' }, { slug: 'broken', agent_backend: 'echo' }],
      echoFailures: {
        flaky: [createError('LLMB_ERR_UPSTREAM', 'upstream hiccup')],
        broken: [createError('LLMB_ERR_INVALID_REQUEST', 'cannot take this'), createError('LLMB_ERR_INVALID_REQUEST', 'cannot take this')],
      },
    });
    client = await booted.connect();
  });
  afterAll(() => booted?.close());

  it('a wait that runs out returns the delivery still running; it is delivered afterwards', async () => {
    const sent = await call(client, 'bots_send_message', { bot_id: 'nova', target_bot_id: 'spark', message: 'slow', timeout_seconds: 1 });
    expect(sent).toMatchObject({ status: 'dispatching', timed_out: true });
    const settled = await call(client, 'bots_delivery_get', { bot_id: 'spark', delivery_id: sent.delivery_id, wait_seconds: 10 });
    expect(settled.status).toBe('delivered');
  });

  it('cancelling aborts the target turn; the record says cancelled and stays so', async () => {
    const sent = await call(client, 'bots_send_message', { bot_id: 'nova', target_bot_id: 'mira', message: 'never mind', fire_and_forget: true });
    await eventually(async () => (await call(client, 'bots_delivery_get', { bot_id: 'nova', delivery_id: sent.delivery_id })).status === 'dispatching');
    const cancelled = await call(client, 'bots_delivery_cancel', { bot_id: 'nova', delivery_id: sent.delivery_id });
    expect(cancelled.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await call(client, 'bots_delivery_get', { bot_id: 'nova', delivery_id: sent.delivery_id });
    expect(after).toMatchObject({ status: 'cancelled', reply: null });
    expect(await callError(client, 'bots_delivery_cancel', { bot_id: 'nova', delivery_id: sent.delivery_id })).toMatch(/LLMB_ERR_CONFLICT.*already cancelled/);
  });

  it('deliveries to one target and user run one at a time, in order', async () => {
    const first = await call(client, 'bots_send_message', { bot_id: 'nova', user_id: 'q', target_bot_id: 'spark', message: 'one', fire_and_forget: true });
    const second = await call(client, 'bots_send_message', { bot_id: 'nova', user_id: 'q', target_bot_id: 'spark', message: 'two', fire_and_forget: true });
    const during = await call(client, 'bots_delivery_get', { bot_id: 'nova', user_id: 'q', delivery_id: second.delivery_id });
    expect(during.status).toBe('queued');
    const a = await call(client, 'bots_delivery_get', { bot_id: 'nova', user_id: 'q', delivery_id: first.delivery_id, wait_seconds: 10 });
    const b = await call(client, 'bots_delivery_get', { bot_id: 'nova', user_id: 'q', delivery_id: second.delivery_id, wait_seconds: 10 });
    expect([a.status, b.status]).toEqual(['delivered', 'delivered']);
    expect(Date.parse(b.delivered_at)).toBeGreaterThan(Date.parse(a.delivered_at));
    expect(booted.echo.calls.filter((c) => c.user === 'q').map((c) => c.text.split('\n')[1])).toEqual(['one', 'two']);
  });

  it('a failure a retry may fix is retried; one it cannot fix fails at once with the error', async () => {
    const retried = await call(client, 'bots_send_message', { bot_id: 'nova', target_bot_id: 'flaky', message: 'hello?', timeout_seconds: 20 });
    expect(retried).toMatchObject({ status: 'delivered', delivery: { attempt_count: 2, last_error: null } });
    const failed = await call(client, 'bots_send_message', { bot_id: 'nova', target_bot_id: 'broken', message: 'hello?', timeout_seconds: 20 });
    expect(failed).toMatchObject({ status: 'failed', delivery: { attempt_count: 1, last_error: expect.stringContaining('LLMB_ERR_INVALID_REQUEST: cannot take this') } });
  });
});
