import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, defineTool } from '@llm-bawt/sdk';
import { bootMcp, call, type McpHost } from './kit.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(url: string, headers: Record<string, string> = {}, body: string = JSON.stringify(INIT)) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body });
}

describe('listener', () => {
  let booted: McpHost;
  beforeAll(async () => {
    booted = await bootMcp(undefined);
  });
  afterAll(() => booted?.close());

  it('binds 127.0.0.1 by default; initialize opens a session that later requests must name', async () => {
    expect(booted.mcpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(booted.host.endpoints()).toEqual([expect.objectContaining({ transport: 'mcp', url: booted.mcpUrl })]);
    const res = await post(booted.mcpUrl);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe('llm-bawt');
    const session = res.headers.get('mcp-session-id') as string;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const versioned = { 'mcp-protocol-version': '2025-06-18' };
    expect((await post(booted.mcpUrl, versioned, list)).status).toBe(400);
    expect((await post(booted.mcpUrl, { ...versioned, 'mcp-session-id': 'not-a-session' }, list)).status).toBe(404);
    const listed = await post(booted.mcpUrl, { ...versioned, 'mcp-session-id': session }, list);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0);
    expect((await fetch(booted.mcpUrl, { method: 'DELETE', headers: { ...versioned, 'mcp-session-id': session } })).status).toBe(200);
    expect((await post(booted.mcpUrl, { ...versioned, 'mcp-session-id': session }, list)).status).toBe(404);
  });

  it('answers a foreign Origin with 403, and lets localhost and Origin-less clients in', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1.nip.io:3000', 'null', 'file://']) {
      const res = await post(booted.mcpUrl, { origin });
      expect(res.status, origin).toBe(403);
    }
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8001', 'http://[::1]:3000']) {
      expect((await post(booted.mcpUrl, { origin })).status, origin).toBe(200);
    }
  });

  it('refuses other paths (404), bad JSON (400) and big bodies (413)', async () => {
    expect((await post(booted.mcpUrl.replace('/mcp', '/other'))).status).toBe(404);
    expect((await post(booted.mcpUrl, {}, '{nope')).status).toBe(400);
    expect((await post(booted.mcpUrl, {}, JSON.stringify({ ...INIT, pad: 'x'.repeat(5 * 1024 * 1024) }))).status).toBe(413);
  });
});

describe('stateless', () => {
  it('answers every POST without a session and refuses GET (405)', async () => {
    const booted = await bootMcp(undefined, { config: { sessions: false } });
    try {
      const res = await post(booted.mcpUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('mcp-session-id')).toBeNull();
      const list = await post(booted.mcpUrl, { 'mcp-protocol-version': '2025-06-18' }, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
      expect(list.status).toBe(200);
      const get = await fetch(booted.mcpUrl, { headers: { accept: 'text/event-stream' } });
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      const client = await booted.connect();
      expect(await call(client, 'time', { timezone: 'UTC' })).toEqual(expect.anything());
    } finally {
      await booted.close();
    }
  });
});

describe('API keys', () => {
  it('requires the bearer key when one is configured (plugin config or LLM_BAWT_API_KEYS)', async () => {
    for (const options of [{ config: { apiKeys: ['sekrit'] } }, { env: { LLM_BAWT_API_KEYS: 'other, sekrit' } }]) {
      const booted = await bootMcp(undefined, options);
      try {
        const missing = await post(booted.mcpUrl);
        expect(missing.status).toBe(401);
        expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect((await post(booted.mcpUrl, { authorization: 'Bearer wrong' })).status).toBe(401);
        expect((await post(booted.mcpUrl, { authorization: 'sekrit' })).status).toBe(401);
        await expect(booted.connect()).rejects.toThrow();
        const client = await booted.connect({ headers: { authorization: 'Bearer sekrit' } });
        expect((await client.listTools()).tools.length).toBeGreaterThan(0);
        // A session answers only to the key that opened it.
        const opened = await post(booted.mcpUrl, { authorization: 'Bearer sekrit' });
        const session = opened.headers.get('mcp-session-id') as string;
        const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        const headers = { 'mcp-protocol-version': '2025-06-18', 'mcp-session-id': session };
        if (options.env) expect((await post(booted.mcpUrl, { ...headers, authorization: 'Bearer other' }, list)).status).toBe(404);
        expect((await post(booted.mcpUrl, { ...headers, authorization: 'Bearer sekrit' }, list)).status).toBe(200);
      } finally {
        await booted.close();
      }
    }
  });

  it('refuses to serve MCP on a non-loopback address without a key, and serves it with one', async () => {
    await expect(bootMcp(undefined, { config: { host: '0.0.0.0' } })).rejects.toThrow(/refusing to serve MCP on 0\.0\.0\.0.*no API key/);
    await expect(bootMcp(undefined, { listen: { mcp: { host: '0.0.0.0' } } })).rejects.toThrow(/refusing to serve MCP on 0\.0\.0\.0/);
    const booted = await bootMcp(undefined, { config: { host: '0.0.0.0', apiKeys: ['k'] } });
    try {
      const url = booted.mcpUrl.replace('0.0.0.0', '127.0.0.1');
      expect((await post(url)).status).toBe(401);
      expect((await post(url, { authorization: 'Bearer k' })).status).toBe(200);
    } finally {
      await booted.close();
    }
  });
});

describe('tools and cancellation', () => {
  let aborted: Promise<unknown>;
  let started: () => void;
  let running = new Promise<void>((resolve) => (started = resolve));
  const slow = definePlugin({
    id: 'slow-tool',
    version: '0.1.0',
    sdk: '^0.1.0',
    contributes: {
      tools: [
        defineTool({
          name: 'slow',
          description: 'Waits until it is cancelled.',
          input: v.object({}),
          annotations: { readOnlyHint: true },
          run(_input, ctx) {
            aborted = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason), { once: true }));
            started();
            return aborted.then(() => 'cancelled');
          },
        }),
        defineTool({
          name: 'whoami',
          description: 'Says which bot and user it runs as.',
          input: v.strictObject({ shout: v.optional(v.boolean(), false) }),
          run: (input, ctx) => `${ctx.bot.slug}/${ctx.userId}${input.shout ? '!' : ''}${ctx.turn ? ' in a turn' : ''}`,
        }),
      ],
    },
  });

  let booted: McpHost;
  beforeAll(async () => {
    booted = await bootMcp(undefined, { plugins: [slow] });
  });
  afterAll(() => booted?.close());

  it('serves contributed tools with the named bot and user (defaults: the default bot and user), strict schemas included', async () => {
    const client = await booted.connect();
    expect(await call(client, 'whoami')).toBe('nova/default');
    expect(await call(client, 'whoami', { bot_id: 'spark', user_id: 'ana', shout: true })).toBe('spark/ana!');
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'whoami')?.annotations).toEqual({ readOnlyHint: false, destructiveHint: true });
  });

  it("a client's cancellation reaches the tool call it cancels", async () => {
    const client = await booted.connect();
    const controller = new AbortController();
    const pending = client.callTool({ name: 'slow', arguments: {} }, undefined, { signal: controller.signal });
    await running;
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect(aborted).resolves.toBeDefined();
  });

  it.each([true, false])('closing the connection mid-call cancels it (sessions: %s)', async (sessions) => {
    const other = await bootMcp(undefined, { plugins: [slow], config: { sessions } });
    try {
      const init = await post(other.mcpUrl);
      const session = init.headers.get('mcp-session-id');
      await init.text();
      running = new Promise<void>((resolve) => (started = resolve));
      const controller = new AbortController();
      const pending = fetch(other.mcpUrl, {
        method: 'POST',
        signal: controller.signal,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', ...(session ? { 'mcp-session-id': session } : {}) },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'slow', arguments: {} } }),
      });
      await running;
      controller.abort();
      await expect(pending).rejects.toThrow();
      await expect(aborted).resolves.toBeDefined();
    } finally {
      await other.close();
    }
  });
});
