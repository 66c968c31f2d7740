// Storage lane: does the embedded database (PGlite + pgvector in a worker thread, reached over
// a loopback socket) keep the host's event loop free while it works? Inserts 1e4 rows of
// 384-dimension vectors, builds the HNSW index, then runs nearest-neighbour queries back to
// back while `monitorEventLoopDelay` watches the main thread. For contrast it then runs the
// same queries against PGlite on the main thread, which is what the worker avoids.
// Run: node --import jiti/register bench/storage/event-loop.ts   (BENCH_ROWS, BENCH_SECONDS)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { EMBEDDING_DIMENSIONS, hnswCosineIndexSql, openStore, toVectorLiteral, vectorColumnSql } from '../../plugins/store-postgres/src/index.js';

/** What the lane measured; times in milliseconds. */
export interface StorageEventLoopResult {
  rows: number;
  dimensions: number;
  insert: { ms: number; rowsPerSecond: number; eventLoopP99Ms: number };
  index: { ms: number; eventLoopP99Ms: number };
  queries: { count: number; seconds: number; p50Ms: number; p95Ms: number; p99Ms: number; recallAt10: number };
  eventLoop: { idleP99Ms: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** The same queries with PGlite on the main thread (no worker). */
  inProcess: { count: number; queryP50Ms: number; eventLoopP99Ms: number; eventLoopMaxMs: number };
  target: { eventLoopP99Ms: number; met: boolean };
}

const TABLE = 'bench_vectors';
// Small batches: formatting floats into pgvector text is main-thread work (~0.1 ms per row).
const BATCH = 20;
const RECALL_SAMPLE = 50;
const TARGET_P99_MS = 5;

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

function normalise(values: Float32Array): Float32Array {
  const norm = Math.hypot(...values);
  return values.map((x) => x / norm);
}

/**
 * Clustered unit vectors, closer to real embeddings than uniform noise. Float32Arrays, as an
 * embedder returns them, keep 1e4 vectors out of the garbage collector's way.
 */
function vectorSource(seed: number, clusters = 64): () => Float32Array {
  const next = random(seed);
  const centroids = Array.from({ length: clusters }, () => normalise(Float32Array.from({ length: EMBEDDING_DIMENSIONS }, () => next() - 0.5)));
  return () => {
    const centroid = centroids[Math.floor(next() * clusters)] as Float32Array;
    return normalise(centroid.map((x) => x + (next() - 0.5) * 0.12));
  };
}

const ms = (histogram: IntervalHistogram, p: number) => Math.round((histogram.percentile(p) / 1e6) * 1000) / 1000;
const round = (value: number) => Math.round(value * 1000) / 1000;

function percentile(sorted: number[], p: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

async function watch<T>(work: () => Promise<T>): Promise<{ value: T; histogram: IntervalHistogram }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    return { value: await work(), histogram };
  } finally {
    histogram.disable();
  }
}

function exactTop10(data: Float32Array[], query: Float32Array): number[] {
  return data
    .map((v, id) => ({ id, score: v.reduce((sum, x, i) => sum + x * (query[i] as number), 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 10)
    .map((row) => row.id);
}

/** Runs the lane and writes bench/results/storage-event-loop.json. */
export async function run(options: { rows?: number; seconds?: number; out?: string | false } = {}): Promise<StorageEventLoopResult> {
  const rows = options.rows ?? Number(process.env.BENCH_ROWS ?? 10_000);
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 5);
  const dataDir = mkdtempSync(join(tmpdir(), 'llmb-bench-storage-'));
  const nextVector = vectorSource(1);
  const nextQuery = vectorSource(1);
  const data = Array.from({ length: rows }, nextVector);
  try {
    const migrations = [{ pluginId: 'bench', value: { id: '0001-vectors', up: [`CREATE TABLE ${TABLE} (id integer PRIMARY KEY, embedding ${vectorColumnSql()} NOT NULL)`] } }];
    const store = await openStore({ dataDir, migrations });
    let result: Omit<StorageEventLoopResult, 'inProcess' | 'target'>;
    try {
      await store.migrate();
      const connection = store.em().getConnection();
      const idle = await watch(() => new Promise((resolve) => setTimeout(resolve, 1_000)));

      const insertStart = performance.now();
      const insert = await watch(async () => {
        for (let start = 0; start < rows; start += BATCH) {
          // Literals inline: knex's `?` binding costs more than the insert on megabyte statements,
          // and toVectorLiteral only ever emits numbers.
          const values = data.slice(start, start + BATCH).map((v, i) => `(${start + i}, '${toVectorLiteral(v)}')`);
          await connection.execute(`INSERT INTO ${TABLE} (id, embedding) VALUES ${values.join(', ')}`);
        }
      });
      const insertMs = performance.now() - insertStart;

      const indexStart = performance.now();
      const index = await watch(async () => {
        await connection.execute(hnswCosineIndexSql(TABLE, 'embedding'));
        await connection.execute(`ANALYZE ${TABLE}`);
      });
      const indexMs = performance.now() - indexStart;

      const latencies: number[] = [];
      const sample: { query: Float32Array; ids: number[] }[] = [];
      const queries = await watch(async () => {
        const until = performance.now() + seconds * 1000;
        while (performance.now() < until) {
          const query = nextQuery();
          const started = performance.now();
          const found = await store.vector.nearest<{ id: number }>({ table: TABLE, column: 'embedding', vector: query, limit: 10, columns: ['id'] });
          latencies.push(performance.now() - started);
          if (sample.length < RECALL_SAMPLE) sample.push({ query, ids: found.map((row) => row.id) });
        }
      });
      latencies.sort((a, b) => a - b);
      // Recall against an exact scan, computed after the timed loop (it is main-thread work).
      let hits = 0;
      for (const { query, ids } of sample) {
        const exact = new Set(exactTop10(data, query));
        hits += ids.filter((id) => exact.has(id)).length;
      }
      result = {
        rows,
        dimensions: EMBEDDING_DIMENSIONS,
        insert: { ms: round(insertMs), rowsPerSecond: Math.round((rows / insertMs) * 1000), eventLoopP99Ms: ms(insert.histogram, 99) },
        index: { ms: round(indexMs), eventLoopP99Ms: ms(index.histogram, 99) },
        queries: {
          count: latencies.length,
          seconds,
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          p99Ms: percentile(latencies, 99),
          recallAt10: round(hits / (sample.length * 10)),
        },
        eventLoop: { idleP99Ms: ms(idle.histogram, 99), p50Ms: ms(queries.histogram, 50), p99Ms: ms(queries.histogram, 99), maxMs: round(queries.histogram.max / 1e6) },
      };
    } finally {
      await store.close();
    }

    const inProcess = await inProcessContrast(join(dataDir, 'pgdata'), nextQuery, Math.min(2, seconds));
    const full: StorageEventLoopResult = { ...result, inProcess, target: { eventLoopP99Ms: TARGET_P99_MS, met: result.eventLoop.p99Ms <= TARGET_P99_MS } };
    if (options.out !== false) {
      const out = options.out ?? join(import.meta.dirname, '..', 'results', 'storage-event-loop.json');
      mkdirSync(join(out, '..'), { recursive: true });
      writeFileSync(out, `${JSON.stringify({ when: new Date().toISOString(), node: process.version, ...full }, null, 2)}\n`);
    }
    return full;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same query loop with PGlite on the main thread: what running it without the worker costs. */
async function inProcessContrast(pgdata: string, nextQuery: () => Float32Array, seconds: number): Promise<StorageEventLoopResult['inProcess']> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite/vector');
  const db = await PGlite.create(pgdata, { extensions: { vector } });
  try {
    const latencies: number[] = [];
    const { histogram } = await watch(async () => {
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        const started = performance.now();
        await db.query(`SELECT id, embedding <=> $1::vector AS distance FROM ${TABLE} ORDER BY distance LIMIT 10`, [toVectorLiteral(nextQuery())]);
        latencies.push(performance.now() - started);
        // Yield so timers (the delay monitor) get their turn between queries, as a server would.
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    latencies.sort((a, b) => a - b);
    return { count: latencies.length, queryP50Ms: percentile(latencies, 50), eventLoopP99Ms: ms(histogram, 99), eventLoopMaxMs: round(histogram.max / 1e6) };
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run();
  console.log(JSON.stringify(result, null, 2));
  console.log(`event-loop p99 ${result.eventLoop.p99Ms} ms (target <= ${TARGET_P99_MS} ms): ${result.target.met ? 'met' : 'NOT met'}`);
}
