// The constants of reference §5.2–5.4, under their original names.

/** Cosine similarity at or above which a new memory merges into its nearest neighbour. @public */
export const MEMORY_DEDUP_SIMILARITY = 0.85;
/** Extracted facts below this importance are dropped. @public */
export const MEMORY_EXTRACTION_MIN_IMPORTANCE = 0.5;
/** Extracted facts need this importance to write a profile attribute. @public */
export const MEMORY_PROFILE_ATTRIBUTE_MIN_IMPORTANCE = 0.7;
/** Base half-life of a memory's relevance, in days. @public */
export const MEMORY_DECAY_HALF_LIFE_DAYS = 90;
/** Half-life multiplier by a memory's first tag; other tags use 1. @public */
export const TAG_HALF_LIFE_MULTIPLIERS: Readonly<Record<string, number>> = {
  fact: 2.0,
  professional: 1.5,
  health: 1.2,
  relationship: 1.0,
  preference: 0.8,
  event: 0.5,
  plan: 0.3,
};
/** `access_boost = 1 + factor · ln(access_count + 1)`. @public */
export const MEMORY_ACCESS_BOOST_FACTOR = 0.15;
/** Weight of the decayed similarity against the importance-weighted one. @public */
export const MEMORY_RECENCY_WEIGHT = 0.3;
/** Results scoring below this are dropped. @public */
export const MEMORY_MIN_RELEVANCE = 0.01;
/** Memories a search returns by default. @public */
export const MEMORY_N_RESULTS = 10;
/** Candidates fetched per wanted result: 4 with diversity on, 2 without. @public */
export const MEMORY_CANDIDATES_DIVERSE = 4;
export const MEMORY_CANDIDATES_PLAIN = 2;
/** Memories this important are "core facts": up to {@link MEMORY_CORE_FACTS} join every search. @public */
export const MEMORY_CORE_FACT_IMPORTANCE = 0.9;
export const MEMORY_CORE_FACTS = 3;
/** Age buckets of the diversity pass, in days. @public */
export const MEMORY_RECENT_DAYS = 7;
export const MEMORY_MEDIUM_DAYS = 30;
/** Consolidation: same-tag pairs cluster at this cosine, pairs without a shared tag at the cross-tag one. @public */
export const MEMORY_CONSOLIDATION_THRESHOLD = 0.75;
export const MEMORY_CONSOLIDATION_CROSS_TAG_THRESHOLD = 0.9;
/** Consolidation: normalised text similarity (Dice on character bigrams) that clusters on its own. @public */
export const MEMORY_CONSOLIDATION_TEXT_THRESHOLD = 0.85;
/** Consolidation: cluster sizes. @public */
export const MEMORY_CONSOLIDATION_MIN_CLUSTER = 2;
export const MEMORY_CONSOLIDATION_MAX_CLUSTER = 10;
/** Consolidation: a merged memory gains this much importance per extra member. @public */
export const MEMORY_CONSOLIDATION_IMPORTANCE_STEP = 0.05;
/** Decay pruning retires memories whose `importance · exp(−age·ln2/90)` falls below this. @public */
export const MEMORY_PRUNE_THRESHOLD = 0.05;
/** Heuristic action decision: word Jaccard above this against an existing memory means NONE. @public */
export const MEMORY_HEURISTIC_SAME_JACCARD = 0.85;
/** Canonical tags (reference §5.1); others are kept if well formed. @public */
export const CANONICAL_TAGS = ['preference', 'fact', 'event', 'plan', 'professional', 'health', 'relationship', 'misc'] as const;

export const DAY_MS = 86_400_000;
