import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity, hashEmbed, localEmbedder } from '@llm-bawt/plugin-embeddings-local';
import { createSemanticService, semanticRef, type SemanticService } from '@llm-bawt/plugin-memory-semantic';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { coreRefs, isLlmbError } from '@llm-bawt/sdk';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { backends } from '../../plugins/store-postgres/test/backends.js';
import { eventually, freshUser, memoryHost } from './knowledge-kit.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const daysAgo = (days: number) => new Date(NOW - days * DAY);
const cos = (a: string, b: string) => cosineSimilarity(hashEmbed(a), hashEmbed(b));
// pgvector keeps float4 components: similarities match the JavaScript ones to about 1e-7.
const DIGITS = 6;

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  return isLlmbError(error) ? error.code : undefined;
}

describe.each(backends)('semantic memories on $name', (backend) => {
  let host: TestHost;
  let at: (now?: number) => SemanticService;
  beforeAll(async () => {
    host = await memoryHost(backend, { slot: 'knowledge-store' });
    at = (now = NOW) => createSemanticService({ store: host.get(storeRef), embedder: localEmbedder, now: () => now });
  });
  afterAll(() => host?.close());

  it('merges a near-duplicate (cosine >= 0.85) into the existing memory and adds different facts', async () => {
    const memories = at();
    const scope = { botId: 'nova', userId: freshUser() };
    const first = await memories.store(scope, { content: 'User lives in Berlin', tags: ['fact'], importance: 0.6, sourceMessageIds: ['11111111-1111-4111-8111-111111111111'] });
    expect(first.action).toBe('added');
    const again = await memories.store(scope, { content: 'user lives in berlin.', tags: ['fact', 'event'], importance: 0.9, sourceMessageIds: ['22222222-2222-4222-8222-222222222222'] });
    expect(again).toMatchObject({ action: 'merged', memory: { id: first.memory.id, content: 'User lives in Berlin', importance: 0.9, tags: ['fact', 'event'] } });
    expect(again.similarity).toBeCloseTo(1, DIGITS);
    expect(again.memory.sourceMessageIds).toEqual(['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']);

    const reworded = await memories.store(scope, { content: "The user's name is Ada.", importance: 1 });
    const name = await memories.store(scope, { content: "User's name is Ada", importance: 0.5 });
    expect(cos("The user's name is Ada.", "User's name is Ada")).toBeGreaterThanOrEqual(0.85);
    expect(name).toMatchObject({ action: 'merged', memory: { id: reworded.memory.id, importance: 1 } });
    expect(name.similarity).toBeCloseTo(cos("The user's name is Ada.", "User's name is Ada"), DIGITS);

    const paris = await memories.store(scope, { content: 'User lives in Paris', tags: ['fact'] });
    expect(cos('User lives in Berlin', 'User lives in Paris')).toBeLessThan(0.85);
    expect(paris.action).toBe('added');
    expect((await memories.listRecent(scope)).map((m) => m.content).sort()).toEqual(['The user\'s name is Ada.', 'User lives in Berlin', 'User lives in Paris']);
  });

  it('without an embedder, merges only the same text (ignoring case) and finds memories by full-text search', async () => {
    const plain = createSemanticService({ store: host.get(storeRef), now: () => NOW });
    const scope = { botId: 'nova', userId: freshUser() };
    const first = await plain.store(scope, { content: 'User plays the cello', tags: ['preference'] });
    expect(first.memory.hasEmbedding).toBe(false);
    expect((await plain.store(scope, { content: 'USER PLAYS THE CELLO' })).action).toBe('merged');
    expect((await plain.store(scope, { content: 'User plays the cello well' })).action).toBe('added');

    const found = await plain.search(scope, 'Which instrument do I play? The cello?');
    expect(found.method).toBe('text');
    expect(found.results.map((m) => m.content).sort()).toEqual(['User plays the cello', 'User plays the cello well']);
    expect(found.results.every((m) => m.via === 'text' && m.similarity > 0 && m.similarity <= 1)).toBe(true);

    // Embedded later: the re-embed pass fills the vectors and search switches to them.
    const embedded = at();
    expect(await embedded.regenerateEmbeddings(scope)).toEqual({ embedded: 2 });
    expect(await embedded.regenerateEmbeddings(scope)).toEqual({ embedded: 0 });
    const again = await embedded.search(scope, 'Which instrument do I play? The cello?');
    expect(again.method).toBe('vector');
    expect(again.results[0]?.similarity).toBeCloseTo(cos('Which instrument do I play? The cello?', again.results[0]?.content as string), DIGITS);
  });

  it('scores each result with importance, per-tag decay, recency weight and access boost', async () => {
    const memories = at();
    const scope = { botId: 'nova', userId: freshUser() };
    const rows = [
      { content: 'User lives in Berlin', tags: ['fact'], importance: 0.8, age: 30 },
      { content: 'User plans to move to Berlin next year', tags: ['plan'], importance: 0.6, age: 27 },
      { content: 'User likes the Berlin zoo', tags: ['preference'], importance: 0.5, age: 0 },
    ];
    for (const row of rows) await memories.store(scope, { content: row.content, tags: row.tags, importance: row.importance, createdAt: daysAgo(row.age) });
    const query = 'Do I live in Berlin?';
    const { method, results } = await memories.search(scope, query, { diversity: false, coreFacts: false, minRelevance: 0 });
    expect(method).toBe('vector');
    const expected = rows
      .map((row) => {
        const sim = cos(query, row.content);
        const halfLife = 90 * ({ fact: 2, plan: 0.3, preference: 0.8 } as Record<string, number>)[row.tags[0] as string]!;
        const decay = row.age === 0 ? 1 : Math.exp((-row.age * Math.LN2) / halfLife);
        return { content: row.content, decay, score: (0.7 * (sim * row.importance) + 0.3 * (sim * decay)) * 1 };
      })
      .sort((a, b) => b.score - a.score);
    expect(results.map((m) => m.content)).toEqual(expected.map((e) => e.content));
    results.forEach((m, i) => {
      expect(m.decay).toBe(expected[i]!.decay);
      expect(m.score).toBeCloseTo(expected[i]!.score, DIGITS);
      expect(m.accessBoost).toBe(1);
    });
    // The plan is 27 days old with a 27-day half-life: exactly half.
    expect(results.find((m) => m.tags[0] === 'plan')?.decay).toBe(0.5);

    // A touching search counts an access; the next search boosts by 1 + 0.15 ln 2.
    await memories.search(scope, query, { diversity: false, coreFacts: false, minRelevance: 0, touch: true });
    await eventually(async () => (await memories.listRecent(scope)).every((m) => m.accessCount === 1 && m.lastAccessed !== null));
    const boosted = (await memories.search(scope, query, { diversity: false, coreFacts: false, minRelevance: 0 })).results;
    boosted.forEach((m, i) => {
      expect(m.accessBoost).toBe(1 + 0.15 * Math.log(2));
      expect(m.score).toBeCloseTo(expected[i]!.score * (1 + 0.15 * Math.log(2)), DIGITS);
    });
  });

  it('drops results under the minimum relevance and adds core facts (importance >= 0.9)', async () => {
    const memories = at();
    const scope = { botId: 'nova', userId: freshUser() };
    await memories.store(scope, { content: "User's name is Grace", tags: ['fact'], importance: 1 });
    for (const sport of ['tennis', 'chess', 'rowing', 'fencing']) await memories.store(scope, { content: `User enjoys ${sport} on weekends`, tags: ['preference'], importance: 0.6 });
    const { results } = await memories.search(scope, 'What do I enjoy on weekends?', { limit: 2, diversity: false });
    expect(results).toHaveLength(2);
    // One slot goes to the core fact, even though it shares no word with the question.
    expect(results.map((m) => m.via).sort()).toEqual(['core', 'vector']);
    expect(results.find((m) => m.via === 'core')?.content).toBe("User's name is Grace");
    const strict = await memories.search(scope, 'What do I enjoy on weekends?', { limit: 5, minRelevance: 0.99, coreFacts: false });
    expect(strict.results).toEqual([]);
  });

  it('keeps superseded memories out of retrieval but readable, with a walkable chain', async () => {
    const memories = at();
    const scope = { botId: 'nova', userId: freshUser() };
    const berlin = (await memories.store(scope, { content: 'User lives in Berlin', tags: ['fact'], importance: 0.8 })).memory;
    const moved = await memories.update(scope, berlin.id, { content: 'User lives in Paris' });
    expect(moved.superseded).toMatchObject({ id: berlin.id, status: 'superseded', supersededBy: moved.memory.id });
    expect(moved.memory).toMatchObject({ content: 'User lives in Paris', tags: ['fact'], importance: 0.8, status: 'active' });
    const lyon = await memories.supersede(scope, moved.memory.id, { content: 'User lives in Lyon', tags: ['fact'], importance: 0.9 });

    expect((await memories.chain(scope, berlin.id)).map((m) => [m.content, m.depth, m.status])).toEqual([
      ['User lives in Berlin', 0, 'superseded'],
      ['User lives in Paris', 1, 'superseded'],
      ['User lives in Lyon', 2, 'active'],
    ]);
    expect((await memories.chain(scope, lyon.replacement.id)).map((m) => m.depth)).toEqual([-2, -1, 0]);
    const found = await memories.search(scope, 'Where do I live? Berlin, Paris or Lyon?', { minRelevance: 0 });
    expect(found.results.map((m) => m.content)).toEqual(['User lives in Lyon']);
    expect((await memories.get(scope, berlin.id))?.status).toBe('superseded');
    expect((await memories.get(scope, berlin.id.slice(0, 8)))?.id).toBe(berlin.id);

    // Tags and importance change in place; no new row.
    const retagged = await memories.update(scope, lyon.replacement.id, { tags: ['fact', 'event'], importance: 0.95 });
    expect(retagged).toEqual({ memory: expect.objectContaining({ id: lyon.replacement.id, tags: ['fact', 'event'], importance: 0.95 }) });

    const deleted = await memories.delete(scope, lyon.replacement.id);
    expect(deleted).toMatchObject({ status: 'deleted', supersededBy: null });
    expect((await memories.search(scope, 'Lyon', { minRelevance: 0 })).results).toEqual([]);
    expect(await codeOf(memories.delete(scope, lyon.replacement.id))).toBe('LLMB_ERR_CONFLICT');
    expect(await codeOf(memories.update(scope, berlin.id, { content: 'x' }))).toBe('LLMB_ERR_CONFLICT');
    expect(await codeOf(memories.delete(scope, '00000000-0000-4000-8000-000000000000'))).toBe('LLMB_ERR_NOT_FOUND');

    // Superseding by another existing memory, never by itself.
    const a = (await memories.store(scope, { content: 'User drinks coffee black' })).memory;
    const b = (await memories.store(scope, { content: 'User takes coffee with oat milk' })).memory;
    expect(await codeOf(memories.supersede(scope, a.id, { memoryId: a.id }))).toBe('LLMB_ERR_INVALID_REQUEST');
    const swapped = await memories.supersede(scope, a.id, { memoryId: b.id });
    expect(swapped.superseded.supersededBy).toBe(b.id);
    expect((await memories.listRecent(scope, { includeSuperseded: true })).length).toBe(5);
    expect((await memories.listRecent(scope)).map((m) => m.id)).toEqual([b.id]);
  });

  it('plans consolidation in a dry run and merges clusters into a superseding memory', async () => {
    const memories = at();
    const scope = { botId: 'nova', userId: freshUser() };
    const tea1 = (await memories.store(scope, { content: 'User likes green tea', tags: ['preference'], importance: 0.6, sourceMessageIds: ['11111111-1111-4111-8111-111111111111'], createdAt: daysAgo(20) })).memory;
    const tea2 = (await memories.store(scope, { content: 'User likes green tea in the morning', tags: ['preference', 'event'], importance: 0.7, sourceMessageIds: ['22222222-2222-4222-8222-222222222222'], createdAt: daysAgo(5) })).memory;
    const tea3 = (await memories.store(scope, { content: 'User likes to drink green tea in the morning', tags: ['preference'], importance: 0.5, createdAt: daysAgo(1) })).memory;
    const other = (await memories.store(scope, { content: 'User is training for a marathon', tags: ['plan'], importance: 0.7 })).memory;
    expect(cos('User likes green tea in the morning', 'User likes green tea')).toBeGreaterThanOrEqual(0.75);
    expect(cos('User likes green tea in the morning', 'User likes to drink green tea in the morning')).toBeGreaterThanOrEqual(0.75);

    const plan = await memories.consolidate(scope, { dryRun: true });
    expect(plan.dryRun).toBe(true);
    expect(plan.considered).toBe(4);
    expect(plan.clusters).toHaveLength(1);
    expect(plan.clusters[0]).toEqual({
      memberIds: [tea2.id, tea1.id, tea3.id],
      members: expect.any(Array),
      merged: {
        content: 'User likes green tea in the morning',
        tags: ['preference', 'event'],
        importance: Math.min(1, 0.7 + 0.05 * 2),
        sourceMessageIds: ['22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111'],
      },
    });
    expect((await memories.listRecent(scope)).length).toBe(4);

    const applied = await memories.consolidate(scope, { dryRun: false });
    const mergedId = applied.clusters[0]?.mergedId as string;
    const merged = await memories.get(scope, mergedId);
    // Exactly the formula's value (0.7 + 0.05·2 is 0.7999999999999999 in doubles; importance is double precision).
    expect(merged).toMatchObject({ content: 'User likes green tea in the morning', importance: 0.7 + 0.05 * 2, tags: ['preference', 'event'], status: 'active', hasEmbedding: true });
    expect(merged?.createdAt).toBe(daysAgo(20).toISOString());
    for (const id of [tea1.id, tea2.id, tea3.id]) expect(await memories.get(scope, id)).toMatchObject({ status: 'superseded', supersededBy: mergedId });
    // A member's chain runs to the merged memory; the merged memory's chain holds every member.
    expect((await memories.chain(scope, tea3.id)).map((m) => [m.id, m.depth])).toEqual([[tea3.id, 0], [mergedId, 1]]);
    expect((await memories.chain(scope, mergedId)).map((m) => [m.id, m.depth])).toEqual([[tea1.id, -1], [tea2.id, -1], [tea3.id, -1], [mergedId, 0]]);
    expect((await memories.listRecent(scope)).map((m) => m.id).sort()).toEqual([mergedId, other.id].sort());
    expect((await memories.consolidate(scope, { dryRun: true })).clusters).toEqual([]);
  });

  it('retires memories whose importance has decayed below 0.05, listing them first in a dry run', async () => {
    const memories = at();
    const scope = { botId: 'nova', userId: freshUser() };
    const faded = (await memories.store(scope, { content: 'User once tried sushi', importance: 0.5, createdAt: daysAgo(300) })).memory;
    await memories.store(scope, { content: 'User visited Rome', importance: 0.5, createdAt: daysAgo(290) });
    await memories.store(scope, { content: 'User is allergic to peanuts', tags: ['health'], importance: 0.9, createdAt: daysAgo(300) });
    const dry = await memories.decay(scope, { dryRun: true });
    expect(dry.retired).toEqual([
      { id: faded.id, botId: 'nova', userId: scope.userId, content: 'User once tried sushi', importance: 0.5, ageDays: 300, value: 0.5 * Math.exp((-300 * Math.LN2) / 90) },
    ]);
    expect((await memories.get(scope, faded.id))?.status).toBe('active');
    const done = await memories.decay(scope);
    expect(done.retired.map((m) => m.id)).toEqual([faded.id]);
    expect((await memories.get(scope, faded.id))?.status).toBe('deleted');
    expect((await memories.listRecent(scope)).map((m) => m.content).sort()).toEqual(['User is allergic to peanuts', 'User visited Rome']);
  });

  it('scopes every read and write by bot and user', async () => {
    const memories = at();
    const x = freshUser('x');
    const y = freshUser('y');
    const novaX = { botId: 'nova', userId: x };
    const novaY = { botId: 'nova', userId: y };
    const miraX = { botId: 'mira', userId: x };
    const secret = (await memories.store(novaX, { content: 'User keeps a diary in German', importance: 0.9 })).memory;
    await memories.store(novaY, { content: 'User keeps bees', importance: 0.9 });
    await memories.store(miraX, { content: 'User keeps a diary in French', importance: 0.9 });
    const query = 'What do I keep? A diary?';
    expect((await memories.search(novaX, query, { minRelevance: 0 })).results.map((m) => m.content)).toEqual(['User keeps a diary in German']);
    expect((await memories.search(novaY, query, { minRelevance: 0 })).results.map((m) => m.content)).toEqual(['User keeps bees']);
    expect((await memories.search(miraX, query, { minRelevance: 0 })).results.map((m) => m.content)).toEqual(['User keeps a diary in French']);
    for (const other of [novaY, miraX]) {
      expect(await memories.get(other, secret.id)).toBeUndefined();
      expect(await codeOf(memories.update(other, secret.id, { content: 'hijacked' }))).toBe('LLMB_ERR_NOT_FOUND');
      expect(await codeOf(memories.delete(other, secret.id))).toBe('LLMB_ERR_NOT_FOUND');
      expect(await codeOf(memories.chain(other, secret.id))).toBe('LLMB_ERR_NOT_FOUND');
      expect((await memories.consolidate(other, { dryRun: true })).considered).toBe(1);
    }
    // Dedup never merges across scopes either.
    expect((await memories.store(novaY, { content: 'User keeps a diary in German' })).action).toBe('added');
    // Cross-bot search only covers the bots the caller names.
    expect((await memories.searchAll(query, { botIds: ['mira'], userId: x })).map((m) => m.botId)).toEqual(['mira']);
  });

  it('returns k results for a small scope inside a large shared index', async () => {
    const memories = at();
    const crowd = { botId: 'nova', userId: freshUser('crowd') };
    const few = { botId: 'nova', userId: freshUser('few') };
    const connection = host.get(storeRef).em().getConnection();
    const values = Array.from({ length: 400 }, (_, i) => `('${crypto.randomUUID()}', 'nova', '${crowd.userId}', 'User collects stamp number ${i}', '[${hashEmbed(`User collects stamp number ${i}`).join(',')}]')`);
    await connection.execute(`INSERT INTO memories (id, bot_id, user_id, content, embedding) VALUES ${values.join(', ')}`);
    for (const n of [1, 2, 3, 4, 5]) await memories.store(few, { content: `User collects coin number ${n}` });
    const { results } = await memories.search(few, 'User collects stamp number 7', { limit: 5, diversity: false, coreFacts: false, minRelevance: 0 });
    expect(results).toHaveLength(5);
    expect(results.every((m) => m.userId === few.userId)).toBe(true);
  });

  it('retires memories drawn from messages that memory-history forgets', async () => {
    const memories = host.get(semanticRef);
    const scope = { botId: 'nova', userId: freshUser() };
    const message = '33333333-3333-4333-8333-333333333333';
    const drawn = (await memories.store(scope, { content: 'User has a sister named Ida', sourceMessageIds: [message] })).memory;
    const kept = (await memories.store(scope, { content: 'User has a brother named Leo' })).memory;
    host.get(coreRefs.bus).publish('memory-history.forgotten', { ...scope, ids: [message] });
    await eventually(async () => (await memories.get(scope, drawn.id))?.status === 'deleted');
    expect((await memories.get(scope, kept.id))?.status).toBe('active');
  });
});
