// `npm run bench`: measures llm-bawt against a direct call to the scripted upstream and a bare
// Node proxy hop, in one run on this machine, and writes bench/results/overhead.json.
// Lanes: BENCH_LANES=latency,ttft,fidelity,concurrency,storage (default: all).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concurrencyLane, fidelityLane } from './lanes/streams.js';
import { latencyLane, ttftLane } from './lanes/overhead.js';
import { startHost, startProxy, startUpstream } from './lib/processes.js';
import { renderReport } from './report.js';

const lanes = new Set((process.env.BENCH_LANES ?? 'latency,ttft,fidelity,concurrency,storage,memory').split(','));
const iterations = Number(process.env.BENCH_ITERATIONS ?? 1000);
const results: Record<string, unknown> = { when: new Date().toISOString(), node: process.version, iterations };

const upstream = await startUpstream();
const proxy = await startProxy(upstream.url);
const host = await startHost(upstream.openaiBaseUrl);
const targets = { direct: upstream.url, proxy: proxy.url, llmb: host.url };
const short = { text: ['Hello', ' there', '!'], usage: { prompt_tokens: 12, completion_tokens: 3 } };

try {
  if (lanes.has('latency')) {
    await upstream.setDefault(short);
    console.error('lane: added latency (non-streaming, 1 client)');
    results.latency = await latencyLane(targets, iterations);
  }
  if (lanes.has('ttft')) {
    await upstream.setDefault(short);
    console.error('lane: added time to first token (streaming)');
    results.ttft = await ttftLane(targets, iterations);
  }
  if (lanes.has('fidelity')) {
    const chunks = Array.from({ length: 40 }, (_, i) => `w${i} `);
    await upstream.setDefault({ text: chunks, chunkDelayMs: 5, usage: { prompt_tokens: 5, completion_tokens: 40 } });
    console.error('lane: stream fidelity');
    results.fidelity = await fidelityLane(host.url, upstream.url, chunks, 5);
  }
  if (lanes.has('concurrency')) {
    const chunks = Array.from({ length: 20 }, (_, i) => `c${i} `);
    await upstream.setDefault({ text: chunks, chunkDelayMs: 2, usage: { prompt_tokens: 5, completion_tokens: 20 } });
    console.error('lane: 200 concurrent streams');
    results.concurrency = await concurrencyLane(host.url, upstream.url, proxy.url, 200, Number(process.env.BENCH_ROUNDS ?? 5), chunks);
  }
} finally {
  await Promise.all([host.stop(), proxy.stop(), upstream.stop()]);
}

if (lanes.has('storage')) {
  try {
    // The storage lane lives with the storage plugin's bench; loaded by path so this runner
    // does not depend on it at compile time.
    const lane = './storage/event-loop.js';
    const storage = (await import(lane)) as { run(): Promise<unknown> };
    console.error('lane: storage event-loop delay (embedded database)');
    results.storage = await storage.run();
  } catch (error) {
    results.storage = { skipped: (error as Error).message };
  }
}

if (lanes.has('memory')) {
  try {
    const lane = './memory/retrieval.js';
    const memory = (await import(lane)) as { run(): Promise<unknown> };
    console.error('lane: memory retrieval at 1e4 and 1e5 memories');
    results.memory = await memory.run();
  } catch (error) {
    results.memory = { skipped: (error as Error).message };
  }
}

const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'overhead.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(renderReport(results));
console.log(`\nwritten to ${join('bench', 'results', 'overhead.json')}`);
