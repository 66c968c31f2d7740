import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicFormat } from './anthropic.js';
import { answer, sendJson } from './faults.js';
import { modelsList, openaiFormat } from './openai.js';
import { Recorder } from './recorder.js';
import { Script } from './script.js';
import type { RecordedRequest, ScriptedUpstream, ScriptedUpstreamOptions, UpstreamFormat } from './types.js';
import type { WireFormat } from './wire.js';
import { xaiFormat } from './xai.js';

const FORMATS: Record<UpstreamFormat, WireFormat> = {
  openai: openaiFormat,
  anthropic: anthropicFormat,
  xai: xaiFormat,
};

type Route = { format: UpstreamFormat; kind: 'completion' | 'models' | 'unknown' };

function route(method: string, path: string): Route {
  if (path === '/v1/chat/completions' && method === 'POST') return { format: 'openai', kind: 'completion' };
  if (path === '/v1/messages' && method === 'POST') return { format: 'anthropic', kind: 'completion' };
  if (path === '/v1/responses' && method === 'POST') return { format: 'xai', kind: 'completion' };
  if (path === '/v1/models' && method === 'GET') return { format: 'openai', kind: 'models' };
  const format = path.startsWith('/v1/messages') ? 'anthropic' : path.startsWith('/v1/responses') ? 'xai' : 'openai';
  return { format, kind: 'unknown' };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection while sending the body'));
    });
  });
}

function parseBody(raw: string): { body: unknown; valid: boolean } {
  if (raw === '') return { body: undefined, valid: true };
  try {
    return { body: JSON.parse(raw), valid: true };
  } catch {
    return { body: raw, valid: false };
  }
}

/** Starts a scripted upstream LLM server; close it when the test is done. */
export async function createScriptedUpstream(options: ScriptedUpstreamOptions = {}): Promise<ScriptedUpstream> {
  const script = new Script();
  const recorder = new Recorder();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const { format, kind } = route(method, path);
    const { body, valid } = parseBody(await readBody(req));
    const stream = typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
    const request: RecordedRequest = recorder.add(
      { format, method, path, headers: req.headers, body, stream, aborted: false, completed: false },
      res,
    );
    const wire = FORMATS[format];
    if (kind === 'models') {
      const models = ['scripted-model', script.defaultModel].filter((m): m is string => m !== undefined);
      sendJson(res, 200, modelsList([...new Set(models)]));
    } else if (kind === 'unknown') {
      sendJson(res, 404, wire.errorBody(404, `scripted upstream: no route for ${method} ${path}`));
    } else if (!valid || typeof body !== 'object' || body === null) {
      sendJson(res, 400, wire.errorBody(400, 'scripted upstream: the request body is not a JSON object'));
    } else {
      const { reply, fault, chunkDelayMs } = script.next((body as { model?: unknown }).model);
      await answer(res, {
        format: wire,
        reply,
        request: body,
        stream,
        fault,
        chunkDelayMs,
        onReset: () => recorder.markServerClosed(request),
      });
    }
  }

  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.destroyed) return;
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error', code: null } });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    xaiBaseUrl: `${url}/v1`,
    requests: recorder.requests,
    script: (...steps) => script.push(steps),
    setDefault: (step) => script.setDefault(step),
    waitForRequest: (n, timeoutMs = 5_000) => recorder.waitFor(n, timeoutMs),
    settled: (request, timeoutMs = 5_000) => recorder.settled(request, timeoutMs),
    reset() {
      script.reset();
      recorder.clear();
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        recorder.markClosing();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
