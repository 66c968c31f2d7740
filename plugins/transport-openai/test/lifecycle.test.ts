import { createServer, type Server } from 'node:net';
import { createTestHost } from '@llm-bawt/sdk/testing';
import type { Logger, TransportContext } from '@llm-bawt/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import transportOpenai, { openaiTransport, transportOpenaiRef } from '../src/index.js';
import { aborted, BOTS, dataOf, MODELS, scriptedPlugin, sseFrames } from './helpers.js';

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = {
    lines,
    debug: () => undefined,
    info: (message: string) => void lines.push(message),
    warn: (message: string) => void lines.push(message),
    error: (message: string) => void lines.push(message),
    child: () => logger,
  };
  return logger;
}

const closers: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/** A host with the plugin set up but its transport not started, to drive `start` by hand. */
async function hostWithoutTransport(config: Record<string, unknown> = {}) {
  const scripted = scriptedPlugin();
  const host = await createTestHost({
    plugins: [transportOpenai, scripted.plugin],
    bots: BOTS,
    models: MODELS,
    defaultModel: 'm',
    pluginConfig: { 'transport-openai': { port: 0, ...config } },
    transports: false,
  });
  closers.push(() => host.close());
  return { host, scripted };
}

describe('start and stop', () => {
  it('logs one line with the URL it listens on', async () => {
    const { host } = await hostWithoutTransport();
    const logger = capture();
    const stop = await openaiTransport.start({ host, config: {}, announce: () => undefined, logger, env: {} } as TransportContext);
    closers.push(() => stop?.());
    const url = host.get(transportOpenaiRef).url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(logger.lines).toEqual([`OpenAI-compatible API listening on ${url}/v1`]);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('refuses to bind a non-loopback address without an API key', async () => {
    const { host } = await hostWithoutTransport({ host: '0.0.0.0' });
    await expect(Promise.resolve(openaiTransport.start({ host, config: {}, announce: () => undefined, logger: capture(), env: {} } as TransportContext))).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0: it is reachable from other machines and no API key is configured/,
    );
    await expect(
      createTestHost({ plugins: [transportOpenai], transports: true, listen: { host: '0.0.0.0', port: 0 } }),
    ).rejects.toThrow(/refusing to listen/);
  });

  it('binds a non-loopback address when a key is configured', async () => {
    const { host } = await hostWithoutTransport({ host: '0.0.0.0', apiKeys: ['secret'] });
    const stop = await openaiTransport.start({ host, config: {}, announce: () => undefined, logger: capture(), env: {} } as TransportContext);
    closers.push(() => stop?.());
    const { port } = host.get(transportOpenaiRef);
    const res = await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: 'Bearer secret' } });
    expect(res.status).toBe(200);
  });

  it('fails to start, instead of moving to another port, when its port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => blocker.close(resolve)));
    const taken = (blocker.address() as { port: number }).port;
    const { host } = await hostWithoutTransport({ port: taken });
    await expect(Promise.resolve(openaiTransport.start({ host, config: {}, announce: () => undefined, logger: capture(), env: {} } as TransportContext))).rejects.toThrow();
    expect(host.get(transportOpenaiRef).url).toBeUndefined();
  });

  it('takes host and port from the environment when nothing else names them', async () => {
    const { host } = await hostWithoutTransport({ port: undefined });
    const probe: Server = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const free = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const stop = await openaiTransport.start({ host, config: {}, announce: () => undefined, logger: capture(), env: { LLM_BAWT_PORT: String(free), LLM_BAWT_HOST: '127.0.0.1' } } as TransportContext);
    closers.push(() => stop?.());
    expect(host.get(transportOpenaiRef).url).toBe(`http://127.0.0.1:${free}`);
  });

  it('ends open streams cleanly and aborts their turns when stopped', async () => {
    const { host, scripted } = await hostWithoutTransport();
    let turnSignal: AbortSignal | undefined;
    scripted.set(async function* ({ signal }) {
      turnSignal = signal;
      yield { type: 'text', text: 'before shutdown' };
      await aborted(signal);
    });
    const stop = await openaiTransport.start({ host, config: {}, announce: () => undefined, logger: capture(), env: {} } as TransportContext);
    const url = host.get(transportOpenaiRef).url as string;
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    expect(res.status).toBe(200);
    const reading = sseFrames(res);
    await expect.poll(() => turnSignal).toBeDefined();
    await stop?.();
    const data = dataOf(await reading);
    expect(data[0].choices[0].delta.content).toBe('before shutdown');
    expect(data.at(-1)).toEqual({ error: expect.objectContaining({ code: 'LLMB_ERR_NOT_READY' }) });
    expect(data).not.toContain('[DONE]');
    expect(turnSignal?.aborted).toBe(true);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
