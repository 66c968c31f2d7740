// Renders bench results as a readable table with the DESIGN.md §11 targets beside them.
const ms = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(2)} ms` : '—');
const x = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(2)}x` : '—');

type Row = { direct: number; proxy: number; llmb: number; proxyAddedMs: number; llmbAddedMs: number; llmbOverProxy: number; llmbOverDirect: number };
type Lane = { n: number; p50: Row; p99: Row };

function laneTable(title: string, lane: Lane | undefined, targets: [string, string]): string[] {
  if (!lane) return [];
  return [
    `${title} (n=${lane.n} each)`,
    '| pct | direct | proxy hop | llm-bawt | proxy adds | llm-bawt adds | llm-bawt/direct | adds vs proxy adds | target |',
    '|---|---|---|---|---|---|---|---|---|',
    ...(['p50', 'p99'] as const).map((p, i) => {
      const r = lane[p];
      return `| ${p} | ${ms(r.direct)} | ${ms(r.proxy)} | ${ms(r.llmb)} | ${ms(r.proxyAddedMs)} | ${ms(r.llmbAddedMs)} | ${x(r.llmbOverDirect)} | ${x(r.llmbOverProxy)} | ${targets[i]} |`;
    }),
    '',
  ];
}

export function renderReport(results: Record<string, unknown>): string {
  const lines: string[] = [`llm-bawt bench — ${String(results.when)} — node ${String(results.node)}`, ''];
  lines.push(...laneTable('Added latency, non-streaming, 1 client', results.latency as Lane | undefined, ['adds <= 0.5 ms', 'adds <= 2 ms']));
  lines.push(...laneTable('Added time to first token, streaming', results.ttft as Lane | undefined, ['adds <= 2 ms', 'adds <= 5 ms']));
  const fidelity = results.fidelity as { target: string; expected: number; received: number; inOrder: boolean; notBatched: boolean; usage: boolean; done: boolean }[] | undefined;
  if (fidelity) {
    lines.push('Stream fidelity (target: every chunk relayed in order, not batched; usage and [DONE] passed through)');
    lines.push('| target | chunks sent | received | in order | not batched | usage | [DONE] |', '|---|---|---|---|---|---|---|');
    for (const f of fidelity) lines.push(`| ${f.target} | ${f.expected} | ${f.received} | ${f.inOrder} | ${f.notBatched} | ${f.usage} | ${f.done} |`);
    lines.push('');
  }
  const concurrency = results.concurrency as
    | { direct: { streamsPerSecond: number }; proxy: { streamsPerSecond: number }; llmb: { streamsPerSecond: number; lostChunks: number; failedStreams: number }; ratio: number; proxyRatio: number }
    | undefined;
  if (concurrency) {
    lines.push('200 concurrent streams (target: >= 0.95x direct streams/s, zero lost chunks; the proxy hop shows the ceiling on this machine)');
    lines.push('| direct streams/s | proxy hop streams/s | llm-bawt streams/s | proxy/direct | llm-bawt/direct | llm-bawt/proxy | lost chunks | failed streams |', '|---|---|---|---|---|---|---|---|');
    lines.push(
      `| ${concurrency.direct.streamsPerSecond.toFixed(1)} | ${concurrency.proxy.streamsPerSecond.toFixed(1)} | ${concurrency.llmb.streamsPerSecond.toFixed(1)} | ${x(concurrency.proxyRatio)} | ${x(concurrency.ratio)} | ${x(concurrency.llmb.streamsPerSecond / concurrency.proxy.streamsPerSecond)} | ${concurrency.llmb.lostChunks} | ${concurrency.llmb.failedStreams} |`,
      '',
    );
  }
  if (results.storage) lines.push('Storage event-loop lane', '```', JSON.stringify(results.storage, null, 2), '```');
  if (results.memory) lines.push('Memory retrieval lane (targets: p95 <= 10 ms at 1e4, <= 25 ms at 1e5; recall@10 >= 0.9)', '```', JSON.stringify(results.memory, null, 2), '```');
  return lines.join('\n');
}
