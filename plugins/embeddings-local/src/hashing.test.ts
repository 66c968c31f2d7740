import { describe, expect, it } from 'vitest';
import { cosineSimilarity, hashEmbed, LOCAL_EMBEDDING_DIMENSIONS, stem, tokenize } from './hashing.js';
import { localEmbedder } from './plugin.js';

const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

describe('embeddings-local', () => {
  it('makes 384 finite numbers of unit length, the same every time', async () => {
    const [a, b] = await localEmbedder.embed(['User lives in Berlin', 'User lives in Berlin'], {});
    expect(localEmbedder.dimensions).toBe(384);
    expect(a).toHaveLength(LOCAL_EMBEDDING_DIMENSIONS);
    expect(a?.every(Number.isFinite)).toBe(true);
    expect(norm(a as number[])).toBeCloseTo(1, 12);
    expect(b).toEqual(a);
  });

  it('gives empty and punctuation-only text a unit vector too', () => {
    for (const text of ['', '   ', '?!…']) {
      const vector = hashEmbed(text);
      expect(vector).toHaveLength(384);
      expect(norm(vector)).toBeCloseTo(1, 12);
    }
  });

  it('ignores case and punctuation', () => {
    expect(cosineSimilarity(hashEmbed('User lives in Berlin'), hashEmbed('user LIVES in berlin.'))).toBeCloseTo(1, 12);
  });

  it('ranks shared words above unrelated text (it is lexical, not semantic)', () => {
    const fact = hashEmbed('User lives in Berlin');
    const question = cosineSimilarity(hashEmbed('Where do I live? Berlin?'), fact);
    const unrelated = cosineSimilarity(hashEmbed('User plays the violin'), fact);
    expect(question).toBeGreaterThan(0.5);
    expect(unrelated).toBeLessThan(0.1);
    // Synonyms share no spelling, so they do not meet.
    expect(cosineSimilarity(hashEmbed('car'), hashEmbed('automobile'))).toBeLessThan(0.2);
  });

  it('keeps near-duplicates above the 0.85 dedup line and different facts below it', () => {
    expect(cosineSimilarity(hashEmbed("User's name is Ada"), hashEmbed("The user's name is Ada."))).toBeGreaterThanOrEqual(0.85);
    expect(cosineSimilarity(hashEmbed('User lives in Berlin'), hashEmbed('User lives in Paris'))).toBeLessThan(0.85);
    expect(cosineSimilarity(hashEmbed('User likes cats'), hashEmbed('User likes dogs'))).toBeLessThan(0.85);
  });

  it('tokenizes unicode words and strips common suffixes', () => {
    expect(tokenize('Grüße aus Köln, 2024!')).toEqual(['grüße', 'aus', 'köln', '2024']);
    expect(['live', 'lives', 'living', 'lived', 'cities', 'boxes', 'glass', 'bus', 'cat'].map(stem)).toEqual(['liv', 'liv', 'liv', 'liv', 'city', 'box', 'glass', 'bus', 'cat']);
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(localEmbedder.embed(['x'], { signal: controller.signal })).rejects.toThrow();
  });
});
