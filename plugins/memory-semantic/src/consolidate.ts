import {
  MEMORY_CONSOLIDATION_CROSS_TAG_THRESHOLD,
  MEMORY_CONSOLIDATION_IMPORTANCE_STEP,
  MEMORY_CONSOLIDATION_MAX_CLUSTER,
  MEMORY_CONSOLIDATION_MIN_CLUSTER,
  MEMORY_CONSOLIDATION_TEXT_THRESHOLD,
  MEMORY_CONSOLIDATION_THRESHOLD,
} from './constants.js';
import { textSimilarity } from './text.js';

/** A memory as consolidation sees it. @public */
export interface ClusterInput {
  id: string;
  content: string;
  tags: readonly string[];
  importance: number;
  sourceMessageIds: readonly string[];
  accessCount: number;
  createdMs: number;
  /** Unit vector, or null when the memory has none yet. */
  embedding: readonly number[] | null;
}

/** Consolidation thresholds (reference §5.4 by default). @public */
export interface ClusterOptions {
  sameTagThreshold?: number;
  crossTagThreshold?: number;
  textThreshold?: number;
  maxCluster?: number;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/**
 * Whether two memories belong together: cosine ≥ 0.75 when they share a tag, ≥ 0.90 when they
 * do not, or a normalised text similarity ≥ 0.85 whatever their vectors. @public
 */
export function belongTogether(a: ClusterInput, b: ClusterInput, options: ClusterOptions = {}): boolean {
  if (textSimilarity(a.content, b.content) >= (options.textThreshold ?? MEMORY_CONSOLIDATION_TEXT_THRESHOLD)) return true;
  if (!a.embedding || !b.embedding) return false;
  const cosine = dot(a.embedding, b.embedding);
  const shareTag = a.tags.some((tag) => b.tags.includes(tag));
  return cosine >= (shareTag ? (options.sameTagThreshold ?? MEMORY_CONSOLIDATION_THRESHOLD) : (options.crossTagThreshold ?? MEMORY_CONSOLIDATION_CROSS_TAG_THRESHOLD));
}

/** The order seeds are taken in: most important, then oldest, then id. */
const unite = (lists: (readonly string[])[]) => [...new Set(lists.flat())];

function bySeedOrder(a: ClusterInput, b: ClusterInput): number {
  return b.importance - a.importance || a.createdMs - b.createdMs || a.id.localeCompare(b.id);
}

/**
 * Greedy star clustering: the first unclustered memory (in seed order) gathers every later
 * unclustered memory that belongs with it, up to ten; groups of two or more are clusters.
 * `onSeed` hears, after each memory, how many have been considered and clusters found. @public
 */
export function planClusters<T extends ClusterInput>(
  memories: readonly T[],
  options: ClusterOptions = {},
  onSeed?: (considered: number, clusters: number) => void,
): T[][] {
  const max = options.maxCluster ?? MEMORY_CONSOLIDATION_MAX_CLUSTER;
  const ordered = [...memories].sort(bySeedOrder);
  const taken = new Set<string>();
  const clusters: T[][] = [];
  let considered = 0;
  for (const seed of ordered) {
    considered++;
    if (!taken.has(seed.id)) {
      const members = [seed];
      for (const other of ordered) {
        if (members.length >= max) break;
        if (other === seed || taken.has(other.id)) continue;
        if (belongTogether(seed, other, options)) members.push(other);
      }
      if (members.length >= MEMORY_CONSOLIDATION_MIN_CLUSTER) {
        for (const member of members) taken.add(member.id);
        clusters.push(members);
      }
    }
    onSeed?.(considered, clusters.length);
  }
  return clusters;
}

/** The memory a cluster becomes. @public */
export interface MergedMemory {
  content: string;
  tags: string[];
  importance: number;
  sourceMessageIds: string[];
  accessCount: number;
  createdMs: number;
  /** The member whose text (and embedding) the merged memory keeps. */
  keptId: string;
}

/**
 * Heuristic merge (reference §5.4): the text of the most important member (then the longest,
 * then the oldest); `importance = min(1, max + 0.05·(n−1))`; tags and sources united in member
 * order; access counts summed; the oldest creation time, so age and decay carry over. @public
 */
export function mergeCluster(members: readonly ClusterInput[]): MergedMemory {
  const kept = [...members].sort((a, b) => b.importance - a.importance || b.content.length - a.content.length || a.createdMs - b.createdMs || a.id.localeCompare(b.id))[0];
  if (!kept) throw new RangeError('cannot merge an empty cluster');
  const maxImportance = Math.max(...members.map((m) => m.importance));
  return {
    content: kept.content,
    tags: unite(members.map((m) => m.tags)),
    importance: Math.min(1, maxImportance + MEMORY_CONSOLIDATION_IMPORTANCE_STEP * (members.length - 1)),
    sourceMessageIds: unite(members.map((m) => m.sourceMessageIds)),
    accessCount: members.reduce((sum, m) => sum + m.accessCount, 0),
    createdMs: Math.min(...members.map((m) => m.createdMs)),
    keptId: kept.id,
  };
}
