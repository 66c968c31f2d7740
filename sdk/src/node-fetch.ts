import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('node fetch: only string and byte bodies are supported');
}

function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/**
 * A `fetch` for provider SDKs (openai, @anthropic-ai/sdk) built on node:http(s) with
 * keep-alive agents. It skips the WHATWG fetch machinery a model call does not need (about
 * a third of the CPU per call) and keeps a real `Response`, so the SDKs work unchanged.
 * String and byte bodies only; aborts through `init.signal`.
 * @public
 */
export function createNodeFetch(options: { maxSockets?: number } = {}): FetchLike {
  const maxSockets = options.maxSockets ?? 256;
  const http = new HttpAgent({ keepAlive: true, maxSockets });
  const https = new HttpsAgent({ keepAlive: true, maxSockets });
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') {
        reject(new TypeError(`node fetch: unsupported protocol ${url.protocol}`));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const body = bodyOf(init.body);
      if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const send = secure ? httpsRequest : httpRequest;
      const req = send(
        url,
        { method: init.method ?? 'GET', headers, agent: secure ? https : http, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const status = res.statusCode ?? 502;
          // Responses without a body (204, 304) must not carry a stream.
          const stream = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          if (stream === null) res.resume();
          resolve(new Response(stream, { status, statusText: res.statusMessage ?? '', headers: headersOf(res) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}
