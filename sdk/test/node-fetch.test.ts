import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch, sdkClientOptions, type Logger } from '@llm-bawt/sdk';

let base = '';
const server = createServer((req, res) => {
  if (req.url === '/slow') return void setTimeout(() => res.end('late'), 5_000);
  let body = '';
  req.on('data', (c: Buffer) => (body += c));
  req.on('end', () => {
    res.writeHead(req.url === '/empty' ? 204 : 201, { 'x-echo-method': req.method ?? '', 'content-type': 'application/json' });
    res.end(req.url === '/empty' ? undefined : JSON.stringify({ body, type: req.headers['content-type'] }));
  });
});
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  resolve();
})));
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('createNodeFetch', () => {
  const fetchLike = createNodeFetch();
  it('sends method, headers and body and returns a real Response', async () => {
    const response = await fetchLike(`${base}/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo-method')).toBe('POST');
    expect(await response.json()).toEqual({ body: '{"a":1}', type: 'application/json' });
  });

  it('gives a bodiless 204 and rejects unsupported protocols', async () => {
    const empty = await fetchLike(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    await expect(fetchLike('ftp://example.test/')).rejects.toThrow(/unsupported protocol/);
  });

  it('aborts through the signal with an AbortError', async () => {
    const controller = new AbortController();
    const pending = fetchLike(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('sdkClientOptions', () => {
  it('turns SDK retries off, takes timeout_ms or ten minutes, and routes SDK logs to the host logger', () => {
    const fetchLike = createNodeFetch();
    const warnings: unknown[][] = [];
    const logger = { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as Logger;
    const options = sdkClientOptions({ alias: 'a', provider: 'openai', model: 'm' }, { apiKey: 'k', fetch: fetchLike, logger });
    expect(options).toMatchObject({ fetch: fetchLike, apiKey: 'k', maxRetries: 0, timeout: 600_000, logLevel: 'warn' });
    expect(sdkClientOptions({ alias: 'a', provider: 'openai', model: 'm', options: { timeout_ms: 50 } }, { apiKey: 'k', fetch: fetchLike, logger }).timeout).toBe(50);
    options.logger.warn('bad chunk', 'x');
    options.logger.warn('plain');
    expect(warnings).toEqual([['bad chunk', { detail: ['x'] }], ['plain', undefined]]);
  });
});
