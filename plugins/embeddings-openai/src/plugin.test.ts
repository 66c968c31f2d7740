import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreRefs, isLlmbError, type EmbedderDefinition } from '@llm-bawt/sdk';
import { createTestHost, type TestHost } from '@llm-bawt/sdk/testing';
import { createEmbeddingsOpenaiPlugin, OPENAI_EMBEDDING_DIMENSIONS } from './index.js';

// The scripted upstream speaks chat formats only, so /v1/embeddings gets a tiny fixture here.
interface Seen {
  authorization: string | undefined;
  body: { model: string; input: string[]; dimensions: number; encoding_format: string };
}
let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let dimensionsToReturn = OPENAI_EMBEDDING_DIMENSIONS;

// A vector of length 2 (not normalised) whose first entry encodes the text length.
const fakeVector = (text: string, n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? text.length : i === 1 ? 1 : 0));

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      if (req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as Seen['body'];
      seen.push({ authorization: req.headers.authorization, body });
      // Answer out of order: clients must place vectors by `index`.
      const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, dimensionsToReturn) })).reverse();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function hostWith(config: Record<string, unknown>, env: Record<string, string>): Promise<{ host: TestHost; embedder: EmbedderDefinition }> {
  const plugin = createEmbeddingsOpenaiPlugin();
  const host = await createTestHost({ plugins: [plugin], pluginConfig: { 'embeddings-openai': config }, env });
  const embedder = host.get(coreRefs.contributions).embedders.find((e) => e.pluginId === 'embeddings-openai')?.value as EmbedderDefinition;
  return { host, embedder };
}

describe('embeddings-openai', () => {
  it('asks text-embedding-3-small for 384 float dimensions and returns unit vectors in input order', async () => {
    const { host, embedder } = await hostWith({ baseUrl, maxRetries: 0 }, { OPENAI_API_KEY: 'sk-test-key' });
    seen.length = 0;
    const vectors = await embedder.embed(['a', 'abc'], {});
    expect(embedder.dimensions).toBe(384);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toBe('Bearer sk-test-key');
    expect(seen[0]?.body).toMatchObject({ model: 'text-embedding-3-small', input: ['a', 'abc'], dimensions: 384, encoding_format: 'float' });
    expect(vectors.map((v) => v.length)).toEqual([384, 384]);
    // [1, 1, 0...] / sqrt(2) and [3, 1, 0...] / sqrt(10).
    expect(vectors[0]?.slice(0, 3)).toEqual([1 / Math.SQRT2, 1 / Math.SQRT2, 0]);
    expect(vectors[1]?.slice(0, 2)).toEqual([3 / Math.sqrt(10), 1 / Math.sqrt(10)]);
    await host.close();
  });

  it('splits large inputs into batches and takes the key from apiKeyEnv', async () => {
    const { host, embedder } = await hostWith({ baseUrl, batchSize: 2, apiKeyEnv: 'MY_EMBED_KEY', model: 'custom-embed', maxRetries: 0 }, { MY_EMBED_KEY: 'k2' });
    seen.length = 0;
    const vectors = await embedder.embed(['a', 'bb', 'ccc', 'dddd', 'eeeee'], {});
    expect(seen.map((s) => s.body.input)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(seen.every((s) => s.authorization === 'Bearer k2' && s.body.model === 'custom-embed')).toBe(true);
    expect(vectors.map((v) => Math.round((v[0] as number) ** 2 * 1000) / 1000)).toEqual([0.5, 0.8, 0.9, 0.941, 0.962]);
    await host.close();
  });

  it('refuses to embed without a key, naming the variable', async () => {
    const { host, embedder } = await hostWith({ baseUrl }, {});
    const error = await embedder.embed(['x'], {}).catch((e: unknown) => e);
    expect(isLlmbError(error) && error.code).toBe('LLMB_ERR_PROVIDER_NOT_CONFIGURED');
    expect((error as Error).message).toContain('OPENAI_API_KEY is not set');
    await host.close();
  });

  it('rejects vectors of the wrong size', async () => {
    const { host, embedder } = await hostWith({ baseUrl, maxRetries: 0 }, { OPENAI_API_KEY: 'k' });
    dimensionsToReturn = 1536;
    try {
      const error = await embedder.embed(['x'], {}).catch((e: unknown) => e);
      expect(isLlmbError(error) && error.code).toBe('LLMB_ERR_UPSTREAM');
      expect((error as Error).message).toContain('returned 1536 dimensions');
    } finally {
      dimensionsToReturn = OPENAI_EMBEDDING_DIMENSIONS;
      await host.close();
    }
  });

  it('rejects a config with a bad base URL at boot, naming the field', async () => {
    const error = await createTestHost({ plugins: [createEmbeddingsOpenaiPlugin()], pluginConfig: { 'embeddings-openai': { baseUrl: 'not a url' } } }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('baseUrl');
  });
});
