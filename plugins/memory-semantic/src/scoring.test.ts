import { describe, expect, it } from 'vitest';
import {
  MEMORY_ACCESS_BOOST_FACTOR,
  MEMORY_DECAY_HALF_LIFE_DAYS,
  MEMORY_PRUNE_THRESHOLD,
  MEMORY_RECENCY_WEIGHT,
  TAG_HALF_LIFE_MULTIPLIERS,
} from './constants.js';
import { accessBoost, ageBucket, ageInDays, decayFactor, halfLifeDays, retentionValue, scoreMemory, selectDiverse, shouldPrune } from './scoring.js';

describe('scoring constants (reference §5.3)', () => {
  it('keeps the original values', () => {
    expect(MEMORY_DECAY_HALF_LIFE_DAYS).toBe(90);
    expect(MEMORY_RECENCY_WEIGHT).toBe(0.3);
    expect(MEMORY_ACCESS_BOOST_FACTOR).toBe(0.15);
    expect(MEMORY_PRUNE_THRESHOLD).toBe(0.05);
    expect(TAG_HALF_LIFE_MULTIPLIERS).toEqual({ fact: 2, professional: 1.5, health: 1.2, relationship: 1, preference: 0.8, event: 0.5, plan: 0.3 });
  });
});

describe('half-life by first tag', () => {
  it('multiplies 90 days by the first tag only', () => {
    expect(halfLifeDays(['fact'])).toBe(180);
    expect(halfLifeDays(['professional'])).toBe(135);
    expect(halfLifeDays(['health'])).toBe(108);
    expect(halfLifeDays(['relationship'])).toBe(90);
    expect(halfLifeDays(['preference'])).toBe(72);
    expect(halfLifeDays(['event'])).toBe(45);
    expect(halfLifeDays(['plan', 'fact'])).toBe(27);
    expect(halfLifeDays(['fact', 'plan'])).toBe(180);
    expect(halfLifeDays(['misc'])).toBe(90);
    expect(halfLifeDays([])).toBe(90);
  });
});

describe('decay and access boost', () => {
  it('halves at one half-life, is 1 at age 0 and when disabled', () => {
    expect(decayFactor(90, 90)).toBe(0.5);
    expect(decayFactor(180, 90)).toBe(Math.exp((-180 * Math.LN2) / 90));
    expect(decayFactor(0, 90)).toBe(1);
    expect(decayFactor(-3, 90)).toBe(1);
    expect(decayFactor(500, 90, false)).toBe(1);
  });

  it('boosts by 1 + 0.15 ln(count + 1)', () => {
    expect(accessBoost(0)).toBe(1);
    expect(accessBoost(3)).toBe(1 + 0.15 * Math.log(4));
    expect(accessBoost(3)).toBeCloseTo(1.2079441541679836, 15);
  });

  it('measures age in days', () => {
    expect(ageInDays(0, 86_400_000 * 2.5)).toBe(2.5);
    expect(ageInDays(10, 5)).toBe(0);
  });
});

describe('scoreMemory', () => {
  it('is ((1 - 0.3)·(sim·importance) + 0.3·(sim·decay)) · boost', () => {
    const parts = scoreMemory({ similarity: 0.8, importance: 0.5, tags: ['fact'], ageDays: 180, accessCount: 3 });
    expect(parts.decay).toBe(0.5);
    expect(parts.halfLifeDays).toBe(180);
    expect(parts.accessBoost).toBe(1 + 0.15 * Math.log(4));
    expect(parts.score).toBe((0.7 * (0.8 * 0.5) + 0.3 * (0.8 * 0.5)) * (1 + 0.15 * Math.log(4)));
    expect(parts.score).toBeCloseTo(0.4831776616671934, 15);
  });

  it('weighs importance against recency', () => {
    const fresh = scoreMemory({ similarity: 0.6, importance: 0.9, tags: ['plan'], ageDays: 0, accessCount: 0 });
    expect(fresh.score).toBe(0.7 * 0.6 * 0.9 + 0.3 * 0.6 * 1);
    const old = scoreMemory({ similarity: 0.6, importance: 0.9, tags: ['plan'], ageDays: 27, accessCount: 0 });
    expect(old.score).toBe(0.7 * 0.6 * 0.9 + 0.3 * 0.6 * 0.5);
  });

  it('takes other weights when asked', () => {
    const parts = scoreMemory({ similarity: 1, importance: 0.5, tags: [], ageDays: 10, accessCount: 0 }, { recencyWeight: 0, decay: false });
    expect(parts.score).toBe(0.5);
  });
});

const c = (id: string, score: number, tags: string[], ageDays: number) => ({ id, score, tags, ageDays });

describe('selectDiverse', () => {
  it('returns everything by score when there are not more candidates than wanted', () => {
    const list = [c('a', 0.1, ['fact'], 1), c('b', 0.5, ['fact'], 1)];
    expect(selectDiverse(list, 2).map((x) => x.id)).toEqual(['b', 'a']);
  });

  it('takes the top hit, one per new tag set, one per missing age bucket (medium, old, recent), then by score', () => {
    const list = [
      c('top', 0.9, ['fact'], 1), // recent
      c('fact2', 0.85, ['fact'], 2),
      c('fact3', 0.8, ['fact'], 3),
      c('pref', 0.3, ['preference'], 2), // a new tag set
      c('old', 0.2, ['fact'], 100), // the old bucket
      c('medium', 0.1, ['fact'], 10), // the medium bucket
      c('low', 0.05, ['fact'], 1),
    ];
    // n = 4: top, pref (new tags), medium, old (missing buckets); the high-scoring fact2/fact3 wait.
    expect(selectDiverse(list, 4).map((x) => x.id)).toEqual(['top', 'pref', 'old', 'medium']);
    // n = 5 leaves one slot to fill by score.
    expect(selectDiverse(list, 5).map((x) => x.id)).toEqual(['top', 'fact2', 'pref', 'old', 'medium']);
  });

  it('skips a bucket the picks already cover', () => {
    const list = [c('top', 0.9, ['fact'], 40), c('b', 0.8, ['fact'], 41), c('c', 0.7, ['fact'], 42), c('recent', 0.1, ['fact'], 1)];
    expect(selectDiverse(list, 2).map((x) => x.id)).toEqual(['top', 'recent']);
  });

  it('names the age buckets', () => {
    expect([0, 6.99, 7, 29.99, 30, 400].map(ageBucket)).toEqual(['recent', 'recent', 'medium', 'medium', 'old', 'old']);
  });
});

describe('decay pruning', () => {
  it('retires when importance · exp(−age·ln2/90) < 0.05, whatever the tags', () => {
    expect(retentionValue(0.5, 300)).toBe(0.5 * Math.exp((-300 * Math.LN2) / 90));
    expect(retentionValue(0.5, 300)).toBeCloseTo(0.04960628287400623, 15);
    expect(shouldPrune(0.5, 300)).toBe(true);
    expect(retentionValue(0.5, 290)).toBeCloseTo(0.053577748928317064, 15);
    expect(shouldPrune(0.5, 290)).toBe(false);
    expect(shouldPrune(0.04, 0)).toBe(true);
    expect(shouldPrune(0.05, 0)).toBe(false);
  });
});
