import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import providerOpenai from '@llm-bawt/plugin-provider-openai';
import { createScriptedUpstream, createTestHost, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import toolsCore from './index.js';

/** The tools as a model uses them: scripted upstream -> tool loop -> tools-core. */
let up: ScriptedUpstream;
let host: TestHost;
let ddg: Server;
beforeAll(async () => {
  ddg = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      '<div class="result"><a class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fexample.org%2Fa">Example A</a><a class="result__snippet">First hit.</a></div>',
    );
  });
  await new Promise<void>((resolve) => ddg.listen(0, '127.0.0.1', resolve));
  up = await createScriptedUpstream();
  host = await createTestHost({
    plugins: [providerOpenai, toolsCore],
    bots: [
      { slug: 'nova', uses_tools: true, uses_search: true },
      { slug: 'offline', uses_tools: true, uses_search: false, default_model: 'react' },
    ],
    models: [
      { alias: 'up', provider: 'openai-compatible', model: 'm', base_url: up.openaiBaseUrl, context_window: 8192 },
      { alias: 'react', provider: 'openai-compatible', model: 'r', base_url: up.openaiBaseUrl, tool_support: 'react' },
      { alias: 'keyless', provider: 'openai', model: 'gpt-x' },
    ],
    defaultModel: 'up',
    pluginConfig: { 'tools-core': { search: { duckduckgo: { baseUrl: `http://127.0.0.1:${(ddg.address() as AddressInfo).port}` } } } },
    settings: { upstream_max_retries: 0 },
  });
});
afterAll(async () => {
  await host.close();
  await up.close();
  await new Promise<void>((resolve) => ddg.close(() => resolve()));
});
beforeEach(() => up.reset());

async function resultOf(name: string, args: Record<string, unknown>, botId = 'nova'): Promise<string> {
  up.reset();
  up.script({ toolCalls: [{ id: 'c', name, arguments: args }] }, { text: 'done' });
  await host.ask({ botId, messages: [{ role: 'user', content: 'go' }] });
  return up.requests[1]?.body.messages.at(-1).content;
}

describe('tools-core through the tool loop', () => {
  it('offers time, model, search and web_fetch to a bot with tools and search', async () => {
    up.script({ text: 'hi' });
    await host.ask({ botId: 'nova', messages: [{ role: 'user', content: 'hi' }] });
    expect(up.requests[0]?.body.tools.map((t: any) => t.function.name)).toEqual(['time', 'model', 'search', 'web_fetch']);
    const search = up.requests[0]?.body.tools[2].function.parameters;
    expect(search).toMatchObject({ type: 'object', required: ['query'], properties: { type: { enum: ['web', 'news'] } } });
  });

  it('keeps search and web_fetch from a bot without search', async () => {
    up.script({ text: 'Final Answer: hi' });
    await host.ask({ botId: 'offline', messages: [{ role: 'user', content: 'hi' }] });
    const prompt: string = up.requests[0]?.body.messages[0].content;
    expect(prompt).toContain('**time**');
    expect(prompt).not.toContain('**search**');
    expect(prompt).not.toContain('**web_fetch**');
  });

  it('time: tells the current time in a named zone', async () => {
    const before = Date.now();
    const result = JSON.parse(await resultOf('time', { timezone: 'Asia/Kolkata' }));
    expect(result).toMatchObject({ timezone: 'Asia/Kolkata', utc_offset: '+05:30', local: expect.stringMatching(/\d{4}.*GMT\+5:30|\d{4}.*IST/) });
    expect(Date.parse(result.iso)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(result.iso)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('time: refuses an unknown zone with a hint', async () => {
    expect(await resultOf('time', { timezone: 'Mars/Olympus' })).toBe("Error: unknown time zone 'Mars/Olympus'; use an IANA name such as \"Europe/Oslo\"");
  });

  it('model: names the current model and lists aliases with availability', async () => {
    expect(JSON.parse(await resultOf('model', { action: 'current' }))).toEqual({ alias: 'up', provider: 'openai-compatible', model: 'm', context_window: 8192, tool_support: 'native' });
    const list = JSON.parse(await resultOf('model', { action: 'list' }));
    expect(list.current).toBe('up');
    expect(list.models).toEqual([
      { alias: 'up', provider: 'openai-compatible', model: 'm', available: true },
      { alias: 'react', provider: 'openai-compatible', model: 'r', available: true },
      { alias: 'keyless', provider: 'openai', model: 'gpt-x', available: false, reason: 'OPENAI_API_KEY is not set (alias keyless)' },
    ]);
  });

  it('search: returns numbered results from the configured provider', async () => {
    expect(await resultOf('search', { query: 'example' })).toBe('Web results for "example" (duckduckgo):\n1. Example A\n   https://example.org/a\n   First hit.');
  });

  it('web_fetch: refuses a private address as an error result', async () => {
    expect(await resultOf('web_fetch', { url: 'http://169.254.169.254/latest/meta-data/' })).toMatch(/^Error: refusing to fetch 169\.254\.169\.254: it is a linkLocal address/);
  });
});

describe('tools-core config', () => {
  it('refuses a bad config at boot, naming the plugin and path', async () => {
    await expect(
      createTestHost({ plugins: [toolsCore], pluginConfig: { 'tools-core': { search: { maxResults: 0 }, fetch: { allowHosts: 'all' } } } }),
    ).rejects.toThrow(/tools-core[\s\S]*search\.maxResults[\s\S]*fetch\.allowHosts/);
  });
});
