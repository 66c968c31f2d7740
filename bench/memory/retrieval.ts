// Memory retrieval lane: how long memory-semantic's scored search takes with 1e4 and 1e5
// memories in one user's scope (plus other bots' rows sharing the index), on the embedded
// database (PGlite + pgvector in a worker thread), and how much the HNSW index loses against an
// exact scan of the same rows (recall@10). Targets (DESIGN §11): p95 <= 10 ms at 1e4 and
// <= 25 ms at 1e5; recall@10 >= 0.9.
// Run: node --import jiti/register bench/memory/retrieval.ts   (BENCH_MEMORY_SIZES, BENCH_MEMORY_QUERIES)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { hashEmbed } from '../../plugins/embeddings-local/src/hashing.js';
import { localEmbedder } from '../../plugins/embeddings-local/src/plugin.js';
import { semanticMigrations } from '../../plugins/memory-semantic/src/schema.js';
import { createSemanticService } from '../../plugins/memory-semantic/src/service.js';
import { hnswCosineIndexSql, openStore } from '../../plugins/store-postgres/src/index.js';

/** One size's measurements; times in milliseconds. */
export interface SizeResult {
  memories: number;
  /** Rows of other bots sharing the table and its index. */
  otherRows: number;
  insert: { ms: number; rowsPerSecond: number };
  index: { ms: number };
  search: { count: number; p50Ms: number; p95Ms: number; p99Ms: number; meanMs: number; eventLoopP99Ms: number };
  /** Raw nearest-neighbour query (HNSW, the scope filter, iterative scan) without scoring, for comparison. */
  nearest: { p50Ms: number; p95Ms: number };
  /** Top 10 of the scored search against the same search over an exact scan (ties count as hits). */
  recallAt10: number;
  /** Top 10 by cosine through the index against an exact scan of the scope. */
  knnRecallAt10: number;
  target: { p95Ms: number; recallAt10: number; met: boolean };
  /** 1-minute load average when the timed queries started: other work on the machine skews times. */
  loadAverage: number;
}

export interface MemoryRetrievalResult {
  cpus: number;
  embedder: string;
  dimensions: number;
  sizes: SizeResult[];
}

const SCOPE = { botId: 'bench', userId: 'u0' };
const OTHER_BOTS = ['other-a', 'other-b', 'other-c'];
const BATCH = 500;
const RECALL_SAMPLE = 50;
const TARGETS: Record<number, number> = { 10_000: 10, 100_000: 25 };
const DAY_MS = 86_400_000;

/** Deterministic random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ['likes', 'loves', 'hates', 'collects', 'plays', 'studies', 'cooks', 'visits', 'paints', 'repairs', 'reads about', 'dreams of', 'teaches', 'writes about', 'photographs', 'grows'];
const ADJECTIVES = ['old', 'red', 'tiny', 'rare', 'spicy', 'quiet', 'vintage', 'electric', 'wild', 'golden', 'frozen', 'wooden', 'modern', 'broken', 'famous', 'local', 'japanese', 'italian', 'green', 'noisy'];
const NOUNS = ['bicycles', 'guitars', 'mountains', 'novels', 'tomatoes', 'trains', 'cameras', 'gardens', 'recipes', 'castles', 'violins', 'stamps', 'boats', 'maps', 'clocks', 'teapots', 'chess openings', 'birds', 'bridges', 'jazz records', 'sneakers', 'islands', 'robots', 'mushrooms', 'lamps'];
const PLACES = ['in Berlin', 'at the weekend', 'with her sister', 'after work', 'in winter', 'near the lake', 'since childhood', 'every Sunday', 'in Lisbon', 'on holiday', 'with friends', 'at night', 'in the garden', 'for his job', 'in Kyoto', 'on the train'];
const TAGS = ['preference', 'fact', 'event', 'plan', 'professional', 'health', 'relationship', 'misc'];

function sentence(next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  return `User ${pick(VERBS)} ${pick(ADJECTIVES)} ${pick(NOUNS)} ${pick(PLACES)}`;
}

// Six significant digits: shorter statements, and the same rows for the index and the exact scan.
const literal = (vector: readonly number[]) => `[${vector.map((x) => (x === 0 ? '0' : x.toPrecision(6))).join(',')}]`;
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
const round = (value: number) => Math.round(value * 1000) / 1000;
const percentile = (sorted: number[], p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

type Execute = (sql: string, params?: unknown[]) => Promise<unknown>;

async function insertRows(execute: Execute, rows: number, scopeOf: (i: number) => { botId: string; userId: string }, seed: number, offset: number): Promise<void> {
  const next = random(seed);
  const now = Date.now();
  for (let start = 0; start < rows; start += BATCH) {
    const values: string[] = [];
    for (let i = start; i < Math.min(rows, start + BATCH); i++) {
      const text = sentence(next);
      const scope = scopeOf(offset + i);
      const tag = TAGS[Math.floor(next() * TAGS.length)] as string;
      const importance = round(0.3 + next() * 0.65);
      const created = new Date(now - next() * 365 * DAY_MS).toISOString();
      values.push(
        `(gen_random_uuid(), ${quote(scope.botId)}, ${quote(scope.userId)}, ${quote(text)}, '["${tag}"]', ${importance}, '${literal(hashEmbed(text))}', ${Math.floor(next() * 6)}, '${created}')`,
      );
    }
    await execute(`INSERT INTO memories (id, bot_id, user_id, content, tags, importance, embedding, access_count, created_at) VALUES ${values.join(', ')}`);
  }
}

/** Runs the lane and writes bench/results/memory-retrieval.json. */
export async function run(options: { sizes?: number[]; queries?: number; out?: string | false } = {}): Promise<MemoryRetrievalResult> {
  const sizes = options.sizes ?? (process.env.BENCH_MEMORY_SIZES ?? '10000,100000').split(',').map(Number);
  const queryCount = options.queries ?? Number(process.env.BENCH_MEMORY_QUERIES ?? 300);
  const dataDir = mkdtempSync(join(tmpdir(), 'llmb-bench-memory-'));
  const store = await openStore({ dataDir, migrations: semanticMigrations.map((value) => ({ pluginId: 'memory-semantic', value })) });
  const result: MemoryRetrievalResult = { cpus: availableParallelism(), embedder: localEmbedder.id, dimensions: localEmbedder.dimensions, sizes: [] };
  try {
    await store.migrate();
    const connection = store.em().getConnection();
    const execute: Execute = (sql, params = []) => connection.execute(sql, params);
    const memories = createSemanticService({ store, embedder: localEmbedder });
    const queries = Array.from({ length: queryCount }, ((next) => () => sentence(next).replace(/^User /, 'Do I still enjoy '))(random(99)));
    let inScope = 0;
    let others = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      console.error(`memory retrieval: building ${size} memories`);
      // Bulk loads go faster without the index; it is built once the rows are in.
      await execute('DROP INDEX IF EXISTS memories_embedding_hnsw');
      const insertStart = performance.now();
      const addScope = size - inScope;
      const addOthers = Math.round(size / 10) - others;
      await insertRows(execute, addScope, () => SCOPE, size, inScope);
      await insertRows(execute, addOthers, (i) => ({ botId: OTHER_BOTS[i % OTHER_BOTS.length] as string, userId: 'u0' }), size + 1, others);
      const insertMs = performance.now() - insertStart;
      inScope = size;
      others += addOthers;

      const indexStart = performance.now();
      await connection.getKnex().transaction(async (trx) => {
        await trx.raw("SET LOCAL maintenance_work_mem = '512MB'");
        await trx.raw(hnswCosineIndexSql('memories', 'embedding'));
      });
      await execute('ANALYZE memories');
      const indexMs = performance.now() - indexStart;

      for (const q of queries.slice(0, 20)) await memories.search(SCOPE, q); // warm-up
      const loadAverage = round(loadavg()[0] ?? 0);
      const latencies: number[] = [];
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      for (const q of queries) {
        const started = performance.now();
        await memories.search(SCOPE, q);
        latencies.push(performance.now() - started);
      }
      loop.disable();
      latencies.sort((a, b) => a - b);

      const nearest: number[] = [];
      let knnHits = 0;
      let hits = 0;
      const sample = queries.slice(0, RECALL_SAMPLE);
      for (const q of sample) {
        const vector = literal(hashEmbed(q));
        const where = `bot_id = '${SCOPE.botId}' AND user_id = '${SCOPE.userId}' AND superseded_at IS NULL AND embedding IS NOT NULL`;
        const started = performance.now();
        const viaIndex = (await connection.getKnex().transaction(async (trx) => {
          await trx.raw("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '40', true)");
          return (await trx.raw(`SELECT id, embedding <=> '${vector}' AS distance FROM memories WHERE ${where} ORDER BY distance LIMIT 10`)).rows;
        })) as { id: string; distance: number }[];
        nearest.push(performance.now() - started);
        const exact = (await execute(`SELECT id, (embedding <=> '${vector}') + 0 AS distance FROM memories WHERE ${where} ORDER BY distance LIMIT 10`)) as { id: string; distance: number }[];
        const tenth = exact.at(-1)?.distance ?? 0;
        const exactIds = new Set(exact.map((row) => row.id));
        knnHits += viaIndex.filter((row) => exactIds.has(row.id) || row.distance <= tenth + 1e-9).length;

        const scored = (await memories.search(SCOPE, q)).results;
        const truth = (await memories.search(SCOPE, q, { exact: true })).results;
        const floor = truth.at(-1)?.score ?? 0;
        const truthIds = new Set(truth.map((m) => m.id));
        hits += scored.filter((m) => truthIds.has(m.id) || m.score >= floor - 1e-9).length / Math.max(1, truth.length);
      }
      nearest.sort((a, b) => a - b);
      const p95 = percentile(latencies, 95);
      const recall = round(hits / sample.length);
      const target = TARGETS[size] ?? 25;
      result.sizes.push({
        memories: size,
        otherRows: others,
        insert: { ms: round(insertMs), rowsPerSecond: Math.round(((addScope + addOthers) / insertMs) * 1000) },
        index: { ms: round(indexMs) },
        search: {
          count: latencies.length,
          p50Ms: percentile(latencies, 50),
          p95Ms: p95,
          p99Ms: percentile(latencies, 99),
          meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
          eventLoopP99Ms: round(loop.percentile(99) / 1e6),
        },
        nearest: { p50Ms: percentile(nearest, 50), p95Ms: percentile(nearest, 95) },
        recallAt10: recall,
        knnRecallAt10: round(knnHits / (sample.length * 10)),
        target: { p95Ms: target, recallAt10: 0.9, met: p95 <= target && recall >= 0.9 },
        loadAverage,
      });
      console.error(`  ${size}: search p50 ${percentile(latencies, 50)} ms, p95 ${p95} ms, recall@10 ${recall} (insert ${round(insertMs / 1000)} s, index ${round(indexMs / 1000)} s, load ${loadAverage})`);
    }
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (options.out !== false) {
    const out = options.out ?? join(import.meta.dirname, '..', 'results', 'memory-retrieval.json');
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ when: new Date().toISOString(), node: process.version, ...result }, null, 2)}\n`);
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run();
  console.log(JSON.stringify(result, null, 2));
}
