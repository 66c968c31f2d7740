const TAG = /^[a-z][a-z0-9_-]{0,31}$/;

/** Lower-cased, de-duplicated, well-formed tags; an empty list becomes `["misc"]` (reference §5.2). @public */
export function normalizeTags(tags: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const tag of tags ?? []) {
    if (typeof tag !== 'string') continue;
    const clean = tag.trim().toLowerCase().replace(/\s+/g, '_');
    if (TAG.test(clean) && !out.includes(clean)) out.push(clean);
  }
  return out.length > 0 ? out : ['misc'];
}

/** Lower-case text with runs of anything but letters and digits folded to one space. @public */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The set of words of a text. @public */
export function wordSet(text: string): Set<string> {
  const normal = normalizeText(text);
  return new Set(normal === '' ? [] : normal.split(' '));
}

/** Jaccard similarity of two texts' word sets (1 for two empty texts). @public */
export function jaccard(a: string, b: string): number {
  const x = wordSet(a);
  const y = wordSet(b);
  if (x.size === 0 && y.size === 0) return 1;
  let shared = 0;
  for (const word of x) if (y.has(word)) shared++;
  return shared / (x.size + y.size - shared);
}

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + 2 <= text.length; i++) {
    const gram = text.slice(i, i + 2);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/**
 * Normalised text similarity for consolidation: the Sørensen–Dice coefficient of the
 * character bigrams (with multiplicity) of the two normalised texts. @public
 */
export function textSimilarity(a: string, b: string): number {
  const x = normalizeText(a);
  const y = normalizeText(b);
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const gx = bigrams(x);
  const gy = bigrams(y);
  let shared = 0;
  for (const [gram, count] of gx) shared += Math.min(count, gy.get(gram) ?? 0);
  return (2 * shared) / (x.length - 1 + (y.length - 1));
}

const HIGH = /\b(always|never|love[sd]?|hate[sd]?|allergic|allergy|diagnosed|married|divorced|pregnant|moved|died|passed away|engaged|fired|hired|graduated)\b/i;
const MEDIUM = /\b(prefer[sd]?|work(?:s|ed|ing)?|job|live[sd]?|living|hobby|hobbies|birthday|favou?rite|enjoy[sd]?|study|studies|studying|born|daughter|son|wife|husband|partner|pet)\b/i;
const LOW = /\b(sometimes|maybe|perhaps|tried|might|once|occasionally)\b/i;

/** Keyword importance of the heuristic fallback: 0.85 high, 0.6 medium, 0.35 low, else 0.5 (reference §5.2). @public */
export function keywordImportance(text: string): number {
  if (HIGH.test(text)) return 0.85;
  if (MEDIUM.test(text)) return 0.6;
  if (LOW.test(text)) return 0.35;
  return 0.5;
}
