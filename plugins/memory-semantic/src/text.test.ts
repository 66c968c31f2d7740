import { describe, expect, it } from 'vitest';
import { jaccard, keywordImportance, normalizeTags, normalizeText, textSimilarity } from './text.js';

describe('tags', () => {
  it('lower-cases, de-duplicates, drops junk, and defaults to misc', () => {
    expect(normalizeTags(['Fact', 'fact', ' Health ', 'two words', '', 3, '!!'])).toEqual(['fact', 'health', 'two_words']);
    expect(normalizeTags([])).toEqual(['misc']);
    expect(normalizeTags(undefined)).toEqual(['misc']);
  });
});

describe('text similarity', () => {
  it('normalises case and punctuation', () => {
    expect(normalizeText("  User's  name: ADA! ")).toBe('user s name ada');
  });

  it('computes word Jaccard', () => {
    expect(jaccard('User lives in Berlin', 'user lives in berlin.')).toBe(1);
    // {user, lives, in, berlin} vs {user, lives, in, paris}: 3 shared of 5.
    expect(jaccard('User lives in Berlin', 'User lives in Paris')).toBe(3 / 5);
    expect(jaccard('', '')).toBe(1);
  });

  it('computes the Dice coefficient of character bigrams', () => {
    expect(textSimilarity('night', 'nacht')).toBe((2 * 1) / (4 + 4)); // shared bigram: "ht"
    expect(textSimilarity('User likes tea', 'user likes tea!')).toBe(1);
    expect(textSimilarity('ab', 'cd')).toBe(0);
    expect(textSimilarity('a', 'b')).toBe(0);
  });
});

describe('keyword importance (heuristic fallback)', () => {
  it('scores high, medium, low and plain statements', () => {
    expect(keywordImportance('I love hiking')).toBe(0.85);
    expect(keywordImportance("I'm allergic to nuts")).toBe(0.85);
    expect(keywordImportance('I work at a bakery')).toBe(0.6);
    expect(keywordImportance('I sometimes cook')).toBe(0.35);
    expect(keywordImportance('I like tea')).toBe(0.5);
  });
});
