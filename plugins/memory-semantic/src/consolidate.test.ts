import { describe, expect, it } from 'vitest';
import { belongTogether, mergeCluster, planClusters, type ClusterInput } from './consolidate.js';

// Unit vectors at a chosen cosine to e1: [c, sqrt(1 - c²), 0].
const at = (cosine: number, axis = 1): number[] => {
  const v = [cosine, 0, 0];
  v[axis] = Math.sqrt(1 - cosine * cosine);
  return v;
};

const m = (id: string, over: Partial<ClusterInput> = {}): ClusterInput => ({
  id,
  content: `${id} ${[...id].reverse().join('')} zq${id}`,
  tags: ['fact'],
  importance: 0.5,
  sourceMessageIds: [],
  accessCount: 0,
  createdMs: 1000,
  embedding: [1, 0, 0],
  ...over,
});

describe('belongTogether', () => {
  it('needs cosine 0.75 with a shared tag, 0.90 without', () => {
    const seed = m('a', { embedding: [1, 0, 0], tags: ['fact'] });
    expect(belongTogether(seed, m('b', { embedding: at(0.75), tags: ['fact', 'health'] }))).toBe(true);
    expect(belongTogether(seed, m('b', { embedding: at(0.74), tags: ['fact'] }))).toBe(false);
    expect(belongTogether(seed, m('b', { embedding: at(0.9), tags: ['preference'] }))).toBe(true);
    expect(belongTogether(seed, m('b', { embedding: at(0.89), tags: ['preference'] }))).toBe(false);
  });

  it('joins near-identical text even without vectors', () => {
    const a = m('a', { content: 'User likes green tea', embedding: null });
    expect(belongTogether(a, m('b', { content: 'User likes green tea!', embedding: null }))).toBe(true);
    expect(belongTogether(a, m('b', { content: 'User hates coffee', embedding: null }))).toBe(false);
  });
});

describe('planClusters', () => {
  it('seeds by importance, then age, gathers members, and caps clusters at ten', () => {
    const memories = [
      m('low', { importance: 0.4, embedding: at(0.8) }),
      m('seed', { importance: 0.9, embedding: [1, 0, 0] }),
      m('far', { importance: 0.95, embedding: [0, 0, 1] }),
      m('mid', { importance: 0.6, embedding: at(0.76, 2) }),
    ];
    const clusters = planClusters(memories);
    // 'far' is alone; 'seed' gathers 'mid' and 'low' (cosine 0.76 and 0.8 to it).
    expect(clusters.map((c) => c.map((x) => x.id))).toEqual([['seed', 'mid', 'low']]);

    const many = Array.from({ length: 12 }, (_, i) => m(`n${String(i).padStart(2, '0')}`, { createdMs: i }));
    expect(planClusters(many).map((c) => c.length)).toEqual([10, 2]);
  });
});

describe('mergeCluster', () => {
  it('keeps the most important text and raises importance by 0.05 per extra member', () => {
    const merged = mergeCluster([
      m('a', { content: 'User likes tea', importance: 0.7, tags: ['preference'], sourceMessageIds: ['s1'], accessCount: 2, createdMs: 300 }),
      m('b', { content: 'User really likes green tea', importance: 0.8, tags: ['preference', 'fact'], sourceMessageIds: ['s2', 's1'], accessCount: 1, createdMs: 200 }),
      m('c', { content: 'User likes tea a lot', importance: 0.6, tags: ['misc'], sourceMessageIds: [], accessCount: 4, createdMs: 100 }),
    ]);
    expect(merged).toEqual({
      content: 'User really likes green tea',
      keptId: 'b',
      importance: Math.min(1, 0.8 + 0.05 * 2),
      tags: ['preference', 'fact', 'misc'],
      sourceMessageIds: ['s1', 's2'],
      accessCount: 7,
      createdMs: 100,
    });
    expect(merged.importance).toBeCloseTo(0.9, 15);
  });

  it('never goes above 1, and prefers the longer text on equal importance', () => {
    const merged = mergeCluster([m('a', { importance: 0.98, content: 'short' }), m('b', { importance: 0.98, content: 'a longer text' }), m('c', { importance: 0.2 })]);
    expect(merged.importance).toBe(1);
    expect(merged.content).toBe('a longer text');
  });
});
