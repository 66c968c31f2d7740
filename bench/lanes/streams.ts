import { chat } from '../lib/client.js';

const body = (stream: boolean) => ({ model: 'bench', messages: [{ role: 'user', content: 'Count.' }], stream, stream_options: { include_usage: true } });

/**
 * Stream fidelity: the upstream sends `chunks` pieces `gapMs` apart; every piece must arrive
 * in order, as its own frame (not batched), followed by usage and [DONE].
 */
export async function fidelityLane(llmb: string, direct: string, chunks: string[], gapMs: number) {
  const results = [];
  for (const [name, url] of [['direct', direct], ['llmb', llmb]] as const) {
    const arrivals: number[] = [];
    const start = performance.now();
    const timing = await chat(url, body(true), name === 'llmb' ? { bot_id: 'quick' } : {});
    void start;
    void arrivals;
    results.push({
      target: name,
      expected: chunks.length,
      received: timing.pieces.length,
      inOrder: timing.pieces.join('') === chunks.join('') && timing.pieces.every((p, i) => p === chunks[i]),
      notBatched: timing.pieces.length === chunks.length,
      usage: timing.usage,
      done: timing.done,
      totalMs: timing.totalMs,
      minimumMs: gapMs * (chunks.length - 1),
    });
  }
  return results;
}

/** 200 (or `concurrency`) streams at once: streams per second and lost chunks, direct vs llm-bawt. */
export async function concurrencyLane(llmb: string, direct: string, proxy: string, concurrency: number, rounds: number, expectedPieces: string[]) {
  const run = async (url: string, extra: Record<string, unknown>) => {
    let lost = 0;
    let failed = 0;
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      const timings = await Promise.all(Array.from({ length: concurrency }, () => chat(url, body(true), extra).catch(() => undefined)));
      for (const timing of timings) {
        if (!timing || timing.status !== 200 || !timing.done) {
          failed++;
          continue;
        }
        lost += Math.max(0, expectedPieces.length - timing.pieces.length);
      }
    }
    const seconds = (performance.now() - start) / 1000;
    return { streams: concurrency * rounds, seconds, streamsPerSecond: (concurrency * rounds) / seconds, lostChunks: lost, failedStreams: failed };
  };
  type Run = Awaited<ReturnType<typeof run>>;
  // Alternate the order of the runs and take each target's best of two.
  const d1 = await run(direct, {});
  const p1 = await run(proxy, {});
  const l1 = await run(llmb, { bot_id: 'quick' });
  const l2 = await run(llmb, { bot_id: 'quick' });
  const p2 = await run(proxy, {});
  const d2 = await run(direct, {});
  const best = (a: Run, b: Run) => (a.streamsPerSecond >= b.streamsPerSecond ? a : b);
  const directBest = best(d1, d2);
  const proxyBest = best(p1, p2);
  const llmbBest = best(l1, l2);
  return {
    direct: directBest,
    // The bare proxy hop: the ceiling any gateway in front of the upstream reaches on this machine.
    proxy: proxyBest,
    llmb: { ...llmbBest, lostChunks: l1.lostChunks + l2.lostChunks, failedStreams: l1.failedStreams + l2.failedStreams },
    ratio: llmbBest.streamsPerSecond / directBest.streamsPerSecond,
    proxyRatio: proxyBest.streamsPerSecond / directBest.streamsPerSecond,
  };
}
