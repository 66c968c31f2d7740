/**
 * Lexical embeddings by feature hashing: word unigrams, word bigrams and character trigrams
 * of each word are hashed into a fixed number of signed buckets, then the vector is
 * L2-normalised. Deterministic and dependency-free; it measures shared words and spellings,
 * not meaning ("car" and "automobile" share nothing).
 */

/** Dimensions of every llm-bawt embedding (DESIGN §7). @public */
export const LOCAL_EMBEDDING_DIMENSIONS = 384;

/** Weights of the three feature families; stop words count for less than content words. @public */
export const HASHING_WEIGHTS = {
  word: 1,
  stopWord: 0.2,
  bigram: 0.6,
  charTrigram: 0.35,
} as const;

// Short function words that say little about what a sentence is about.
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by do does did for from had has have he her him his i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this those to too us was ' +
    'we were what when where which who whom why will with you your user users s t'
  ).split(' '),
);

const TOKEN = /[\p{L}\p{N}]+/gu;

/**
 * A deliberately crude English suffix stripper, so "lives", "lived" and "living" meet "live".
 * Only the word feature uses it; trigrams keep the exact spelling.
 */
export function stem(token: string): string {
  if (token.length <= 3 || /\d/.test(token)) return token;
  let root = token;
  if (root.endsWith('ies') && root.length > 4) return `${root.slice(0, -3)}y`;
  if (root.endsWith('ing') && root.length > 5) root = root.slice(0, -3);
  else if (root.endsWith('ed') && root.length > 4) root = root.slice(0, -2);
  else if (/(?:sh|ch|x|z|ss)es$/.test(root)) root = root.slice(0, -2);
  else if (root.endsWith('s') && !/(?:ss|us|is)$/.test(root)) root = root.slice(0, -1);
  // "live", "lives", "lived" and "living" all end up as "liv".
  return root.length > 3 && root.endsWith('e') ? root.slice(0, -1) : root;
}

/** Lower-cased word tokens (letters and digits), the unit every feature is built from. @public */
export function tokenize(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
}

// FNV-1a over UTF-16 code units: fast, stable across platforms and Node versions.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// murmur3's finaliser: a second, independent-looking hash for the sign.
function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function add(vector: Float64Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  const index = hash % vector.length;
  vector[index] = (vector[index] as number) + ((mix(hash) & 1) === 0 ? weight : -weight);
}

/**
 * Embeds one text into `dimensions` L2-normalised numbers. Text without any word gets the
 * vector of a fixed placeholder feature, so every vector has unit length. @public
 */
export function hashEmbed(text: string, dimensions: number = LOCAL_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Float64Array(dimensions);
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const stop = STOP_WORDS.has(token);
    const root = stem(token);
    add(vector, `w:${root}`, stop ? HASHING_WEIGHTS.stopWord : HASHING_WEIGHTS.word);
    const next = tokens[i + 1];
    if (next !== undefined && !(stop && STOP_WORDS.has(next))) add(vector, `b:${root} ${stem(next)}`, HASHING_WEIGHTS.bigram);
    if (!stop) {
      // Trigrams of the padded word carry spelling: "berlin" and "berliner" overlap, typos still match.
      const padded = `<${token}>`;
      const weight = HASHING_WEIGHTS.charTrigram / Math.sqrt(Math.max(1, padded.length - 2));
      for (let j = 0; j + 3 <= padded.length; j++) add(vector, `c:${padded.slice(j, j + 3)}`, weight);
    }
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  // No words (or features that cancelled out): a fixed placeholder keeps the vector unit-length.
  if (norm === 0) {
    add(vector, 'w:\u0000empty', 1);
    norm = 1;
  }
  norm = Math.sqrt(norm);
  return Array.from(vector, (value) => value / norm);
}

/** Cosine similarity of two vectors of the same length. @public */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
