import {
  DAY_MS,
  MEMORY_ACCESS_BOOST_FACTOR,
  MEMORY_DECAY_HALF_LIFE_DAYS,
  MEMORY_MEDIUM_DAYS,
  MEMORY_PRUNE_THRESHOLD,
  MEMORY_RECENCY_WEIGHT,
  MEMORY_RECENT_DAYS,
  TAG_HALF_LIFE_MULTIPLIERS,
} from './constants.js';

/** Half-life in days for a memory with these tags: the base times its first tag's multiplier. @public */
export function halfLifeDays(tags: readonly string[], base: number = MEMORY_DECAY_HALF_LIFE_DAYS): number {
  return base * (TAG_HALF_LIFE_MULTIPLIERS[tags[0] ?? ''] ?? 1);
}

/** `exp(−age·ln2/halfLife)`; exactly 1 at age 0 (or less) and when decay is off. @public */
export function decayFactor(ageDays: number, halfLife: number, enabled = true): number {
  if (!enabled || ageDays <= 0) return 1;
  return Math.exp((-ageDays * Math.LN2) / halfLife);
}

/** `1 + 0.15 · ln(access_count + 1)`. @public */
export function accessBoost(accessCount: number, factor: number = MEMORY_ACCESS_BOOST_FACTOR): number {
  return 1 + factor * Math.log(Math.max(0, accessCount) + 1);
}

/** What scoring needs to know about one candidate. @public */
export interface ScoreInput {
  /** `1 − cosine distance` to the query (or a text-search rank in 0–1). */
  similarity: number;
  importance: number;
  tags: readonly string[];
  ageDays: number;
  accessCount: number;
}

/** The parts of a score, for explanations (turn log, API). @public */
export interface ScoreParts {
  score: number;
  similarity: number;
  decay: number;
  halfLifeDays: number;
  accessBoost: number;
}

/** Scoring options: the weights of reference §5.3 by default. @public */
export interface ScoreOptions {
  recencyWeight?: number;
  baseHalfLifeDays?: number;
  accessBoostFactor?: number;
  decay?: boolean;
}

/**
 * `score = ((1 − r)·(sim·importance) + r·(sim·decay)) · access_boost` with r = 0.3
 * (reference §5.3). @public
 */
export function scoreMemory(input: ScoreInput, options: ScoreOptions = {}): ScoreParts {
  const r = options.recencyWeight ?? MEMORY_RECENCY_WEIGHT;
  const halfLife = halfLifeDays(input.tags, options.baseHalfLifeDays ?? MEMORY_DECAY_HALF_LIFE_DAYS);
  const decay = decayFactor(input.ageDays, halfLife, options.decay ?? true);
  const boost = accessBoost(input.accessCount, options.accessBoostFactor ?? MEMORY_ACCESS_BOOST_FACTOR);
  const sim = input.similarity;
  const score = ((1 - r) * (sim * input.importance) + r * (sim * decay)) * boost;
  return { score, similarity: sim, decay, halfLifeDays: halfLife, accessBoost: boost };
}

/** Age in days between two instants (epoch milliseconds). @public */
export function ageInDays(createdMs: number, nowMs: number): number {
  return Math.max(0, (nowMs - createdMs) / DAY_MS);
}

/** Diversity's age buckets: recent (< 7 d), medium (7–30 d), old (≥ 30 d). @public */
export type AgeBucket = 'recent' | 'medium' | 'old';

/** The age bucket of a memory. @public */
export function ageBucket(ageDays: number): AgeBucket {
  if (ageDays < MEMORY_RECENT_DAYS) return 'recent';
  return ageDays < MEMORY_MEDIUM_DAYS ? 'medium' : 'old';
}

/** A scored candidate, as diversity sees it. @public */
export interface DiversityCandidate {
  id: string;
  score: number;
  tags: readonly string[];
  ageDays: number;
}

const tagSetKey = (tags: readonly string[]) => [...new Set(tags)].sort().join('\u0000');

/**
 * Picks `n` of the candidates (reference §5.3): when there are more than `n`, take the top
 * hit, then one per tag set not seen yet, then, for each age bucket in the order medium, old,
 * recent that the picks do not cover yet, its best candidate; fill the rest by score; return
 * them by score. Fewer candidates than `n` are returned as they are, by score. @public
 */
export function selectDiverse<T extends DiversityCandidate>(candidates: readonly T[], n: number): T[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  if (sorted.length <= n) return sorted;
  const picked = new Set<T>();
  const pick = (c: T | undefined) => {
    if (c && picked.size < n) picked.add(c);
  };
  pick(sorted[0]);
  const seenTags = new Set([...picked].map((c) => tagSetKey(c.tags)));
  for (const c of sorted) {
    if (picked.size >= n) break;
    const key = tagSetKey(c.tags);
    if (seenTags.has(key)) continue;
    seenTags.add(key);
    pick(c);
  }
  for (const bucket of ['medium', 'old', 'recent'] as const) {
    if ([...picked].some((c) => ageBucket(c.ageDays) === bucket)) continue;
    pick(sorted.find((c) => !picked.has(c) && ageBucket(c.ageDays) === bucket));
  }
  for (const c of sorted) pick(c);
  return [...picked].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** Decay pruning's value: `importance · exp(−age·ln2/90)`, one half-life for every tag. @public */
export function retentionValue(importance: number, ageDays: number, halfLife: number = MEMORY_DECAY_HALF_LIFE_DAYS): number {
  return importance * decayFactor(ageDays, halfLife);
}

/** True when decay pruning retires a memory (value below 0.05). @public */
export function shouldPrune(importance: number, ageDays: number, threshold: number = MEMORY_PRUNE_THRESHOLD): boolean {
  return retentionValue(importance, ageDays) < threshold;
}
