import { chat, percentile, type Timing } from '../lib/client.js';

export interface Targets {
  direct: string;
  proxy: string;
  llmb: string;
}

const BODY = { model: 'bench', messages: [{ role: 'user', content: 'Say hello.' }] };
const LLMB_EXTRA = { bot_id: 'quick' };

type Name = keyof Targets;
const NAMES: Name[] = ['direct', 'proxy', 'llmb'];

async function alternate(targets: Targets, iterations: number, stream: boolean, pick: (t: Timing) => number): Promise<Record<Name, number[]>> {
  const samples: Record<Name, number[]> = { direct: [], proxy: [], llmb: [] };
  for (let i = 0; i < iterations; i++) {
    // Rotate the order every round so no target always goes first.
    for (let k = 0; k < NAMES.length; k++) {
      const name = NAMES[(i + k) % NAMES.length] as Name;
      const timing = await chat(targets[name], { ...BODY, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }, name === 'llmb' ? LLMB_EXTRA : {});
      if (timing.status !== 200) throw new Error(`${name} answered ${timing.status}`);
      if (i >= iterations / 10) samples[name].push(pick(timing)); // first tenth is warm-up
    }
  }
  return samples;
}

function summarise(samples: Record<Name, number[]>) {
  const at = (name: Name, p: number) => percentile(samples[name], p);
  const row = (p: number) => {
    const direct = at('direct', p);
    const proxyAdded = at('proxy', p) - direct;
    const llmbAdded = at('llmb', p) - direct;
    return { direct, proxy: at('proxy', p), llmb: at('llmb', p), proxyAddedMs: proxyAdded, llmbAddedMs: llmbAdded, llmbOverProxy: llmbAdded / proxyAdded, llmbOverDirect: at('llmb', p) / direct };
  };
  return { n: samples.direct.length, p50: row(50), p99: row(99) };
}

/** Added latency, non-streaming, one client: llm-bawt vs a direct call vs a bare proxy hop. */
export async function latencyLane(targets: Targets, iterations: number) {
  return summarise(await alternate(targets, iterations, false, (t) => t.totalMs));
}

/** Added time to first token, streaming. */
export async function ttftLane(targets: Targets, iterations: number) {
  return summarise(await alternate(targets, iterations, true, (t) => t.firstContentMs));
}
