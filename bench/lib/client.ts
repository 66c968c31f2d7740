import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

export interface Timing {
  /** ms until the whole body arrived */
  totalMs: number;
  /** ms until the first chunk carrying content arrived (streaming) */
  firstContentMs: number;
  /** content pieces in arrival order */
  pieces: string[];
  /** raw data frames received */
  frames: number;
  done: boolean;
  usage: boolean;
  overheadHeader?: number;
  status: number;
}

/** Posts a chat completion with node:http (keep-alive) and times it. */
export function chat(baseUrl: string, body: Record<string, unknown>, extraBody: Record<string, unknown> = {}): Promise<Timing> {
  const payload = JSON.stringify({ ...body, ...extraBody });
  const url = new URL('/v1/chat/completions', baseUrl);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: 'Bearer bench' } },
      (res) => {
        const timing: Timing = { totalMs: 0, firstContentMs: 0, pieces: [], frames: 0, done: false, usage: false, status: res.statusCode ?? 0 };
        const header = res.headers['x-llm-bawt-overhead-ms'];
        if (typeof header === 'string') timing.overheadHeader = Number(header);
        const streaming = String(res.headers['content-type']).includes('text/event-stream');
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (!streaming) return;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (!frame.startsWith('data: ')) continue;
            const data = frame.slice(6);
            if (data === '[DONE]') {
              timing.done = true;
              continue;
            }
            timing.frames++;
            const parsed = JSON.parse(data) as { choices?: { delta?: { content?: string } }[]; usage?: unknown };
            const content = parsed.choices?.[0]?.delta?.content;
            if (content) {
              if (timing.pieces.length === 0) timing.firstContentMs = performance.now() - start;
              timing.pieces.push(content);
            }
            if (parsed.usage) timing.usage = true;
          }
        });
        res.on('end', () => {
          timing.totalMs = performance.now() - start;
          if (!streaming && timing.status === 200) {
            const parsed = JSON.parse(buffer) as { choices: { message: { content: string } }[]; usage?: unknown };
            timing.pieces.push(parsed.choices[0]?.message.content ?? '');
            timing.usage = parsed.usage !== undefined;
            timing.firstContentMs = timing.totalMs;
          }
          resolve(timing);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
