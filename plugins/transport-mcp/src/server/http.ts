import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createError, type Logger } from '@llm-bawt/sdk';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { McpServerOptions } from '../config.js';
import { createMcpServer } from './mcp-server.js';
import { createKeyCheck, createOriginCheck, isLoopback } from './security.js';
import { cancelOnClose, createSessionRegistry } from './sessions.js';
import type { McpToolbox } from './toolbox.js';

/** A running MCP listener. */
export interface McpHttpServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

class TooLarge extends Error {}

const CLOSE_GRACE_MS = 5_000;

function rpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sessions are bound to the credential that opened them, by digest. */
const ownerOf = (req: IncomingMessage) => createHash('sha256').update(req.headers.authorization ?? '').digest('hex');

const urlOf = (host: string, port: number, path: string) => `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;

/**
 * Streamable HTTP at `path`. Before the MCP SDK sees a request, the path (404), the `Origin`
 * (403), the bearer key (401) and the body size (413) are checked.
 *
 * With `sessions` (the default), `initialize` opens a session (`Mcp-Session-Id`) with its own
 * server, so a client's `notifications/cancelled` reaches the call it cancels; a session
 * answers only to the key that opened it. Without, every POST gets a fresh server and
 * transport and no session id, so any of several hosts behind a load balancer can answer any
 * request; the server sends nothing unprompted, so GET is refused (405). Either way a client
 * that closes the connection before its answer cancels its calls.
 */
export async function startMcpHttpServer(options: McpServerOptions & { toolbox: McpToolbox; logger: Logger }): Promise<McpHttpServer> {
  const { logger, toolbox } = options;
  if (options.apiKeys.length === 0 && !isLoopback(options.host)) {
    throw createError(
      'LLMB_ERR_CONFIG',
      `refusing to serve MCP on ${options.host}: it is reachable from other machines and no API key is configured. ` +
        'Set LLM_BAWT_API_KEYS=<key>[,<key>...] (or apiKeys in the transport-mcp config), or bind MCP to 127.0.0.1.',
    );
  }
  const authorized = options.apiKeys.length > 0 ? createKeyCheck(options.apiKeys) : undefined;
  const originOk = createOriginCheck(options.host, options.allowedOrigins);
  const open = new Set<ServerResponse>();
  const sessions = options.sessions ? createSessionRegistry({ idleMs: options.sessionIdleMs, max: options.maxSessions, createServer: () => createMcpServer(toolbox) }) : undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) {
      rpcError(res, 404, -32000, `Not found: the MCP endpoint is ${options.path}`);
      return;
    }
    if (!originOk(req.headers.origin)) {
      rpcError(res, 403, -32000, 'Forbidden: this Origin may not use the MCP server');
      return;
    }
    if (authorized && !authorized(req.headers.authorization)) {
      rpcError(res, 401, -32001, 'Unauthorized: send Authorization: Bearer <key>', { 'www-authenticate': 'Bearer realm="llm-bawt-mcp"' });
      return;
    }
    if (!sessions && req.method !== 'POST') {
      rpcError(res, 405, -32000, 'Method not allowed: this stateless MCP server takes POST only', { allow: 'POST' });
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(await readBody(req, options.bodyLimitBytes));
      } catch (error) {
        if (error instanceof TooLarge) rpcError(res, 413, -32000, `Request body over ${options.bodyLimitBytes} bytes`, { connection: 'close' });
        else rpcError(res, 400, -32700, 'Parse error: the body is not JSON');
        return;
      }
    }
    if (sessions) {
      const refusal = await sessions.handle(req, res, body, ownerOf(req));
      if (refusal) rpcError(res, refusal.status, refusal.code, refusal.message);
      return;
    }
    const server = createMcpServer(toolbox);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    cancelOnClose(res, body, transport);
    res.once('close', () => void server.close().catch(() => undefined));
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  const http = createServer((req, res) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    handle(req, res).catch((error: unknown) => {
      logger.error(`MCP request failed: ${error instanceof Error ? error.message : String(error)}`);
      rpcError(res, 500, -32603, 'Internal error');
    });
  });
  http.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? createError('LLMB_ERR_CONFIG', `cannot serve MCP on ${options.host}:${options.port}: the port is in use (set LLM_BAWT_MCP_PORT or transport-mcp's port)`, {}, error)
          : error,
      ),
    );
    http.listen(options.port, options.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: urlOf(options.host, port, options.path),
    port,
    // Calls in flight get a short grace to finish before their connections are cut.
    close: () =>
      new Promise<void>((resolve) => {
        void sessions?.close();
        const cut = setTimeout(() => {
          for (const res of open) res.destroy();
        }, CLOSE_GRACE_MS);
        http.close(() => {
          clearTimeout(cut);
          resolve();
        });
        http.closeIdleConnections();
      }),
  };
}
