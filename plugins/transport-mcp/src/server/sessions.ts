import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** One MCP session: its own server and transport, bound to the credential that opened it. */
interface Session {
  readonly server: Server;
  readonly transport: StreamableHTTPServerTransport;
  readonly owner: string;
  lastSeen: number;
  inflight: number;
}

export interface SessionOptions {
  /** Sessions idle this long (no request in flight) are closed. */
  idleMs: number;
  /** At most this many sessions; opening one more closes the least recently used. */
  max: number;
  createServer(): Server;
}

/** What a handler answers with when the request cannot go to the MCP SDK. */
export type Refusal = { status: number; code: number; message: string };

/** The JSON-RPC request ids in a POST body (requests only, not notifications or responses). */
function requestIds(body: unknown): (string | number)[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) => (m && typeof m === 'object' && 'method' in m && 'id' in m && (typeof m.id === 'string' || typeof m.id === 'number') ? [m.id] : []));
}

/**
 * A closed response is a cancellation (MCP streamable HTTP): when the client goes away before
 * its answer is written, each request of the body is cancelled as if the client had sent
 * `notifications/cancelled`, which aborts the tool's signal.
 */
export function cancelOnClose(res: ServerResponse, body: unknown, transport: StreamableHTTPServerTransport): void {
  const ids = requestIds(body);
  if (ids.length === 0) return;
  res.once('close', () => {
    if (res.writableFinished) return;
    for (const requestId of ids) {
      const cancel: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'the client closed the connection' } };
      transport.onmessage?.(cancel);
    }
  });
}

/**
 * Stateful streamable HTTP: `initialize` opens a session (`Mcp-Session-Id`), later requests
 * name it. A session answers only to the credential that opened it, is closed after
 * `idleMs` without requests, and DELETE ends it.
 */
export function createSessionRegistry(options: SessionOptions) {
  const sessions = new Map<string, Session>();

  const drop = (id: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    void session.server.close().catch(() => undefined);
  };

  const sweep = setInterval(() => {
    const cutoff = Date.now() - options.idleMs;
    for (const [id, session] of sessions) if (session.inflight === 0 && session.lastSeen < cutoff) drop(id);
  }, Math.min(60_000, Math.max(1_000, Math.floor(options.idleMs / 2))));
  sweep.unref();

  function track(session: Session, res: ServerResponse): void {
    session.inflight += 1;
    session.lastSeen = Date.now();
    res.once('close', () => {
      session.inflight -= 1;
      session.lastSeen = Date.now();
    });
  }

  return {
    get size() {
      return sessions.size;
    },

    /** Serves a request of the session it names, or opens one on `initialize`; a Refusal otherwise. */
    async handle(req: IncomingMessage, res: ServerResponse, body: unknown, owner: string): Promise<Refusal | undefined> {
      const header = req.headers['mcp-session-id'];
      const sessionId = Array.isArray(header) ? header[0] : header;
      if (sessionId !== undefined) {
        const session = sessions.get(sessionId);
        if (!session || session.owner !== owner) return { status: 404, code: -32001, message: 'Session not found: initialize a new session' };
        track(session, res);
        if (req.method === 'GET') res.setHeader('x-accel-buffering', 'no');
        if (req.method === 'POST') cancelOnClose(res, body, session.transport);
        await session.transport.handleRequest(req, res, body);
        return undefined;
      }
      if (req.method !== 'POST' || !(Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body))) {
        return { status: 400, code: -32000, message: 'Bad Request: send initialize first, then the Mcp-Session-Id it returns' };
      }
      if (sessions.size >= options.max) {
        const oldest = [...sessions.entries()].filter(([, s]) => s.inflight === 0).sort((a, b) => a[1].lastSeen - b[1].lastSeen)[0];
        if (!oldest) return { status: 503, code: -32000, message: 'Too many MCP sessions are busy; try again later' };
        drop(oldest[0]);
      }
      const server = options.createServer();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (id) => {
          const session: Session = { server, transport, owner, lastSeen: Date.now(), inflight: 0 };
          sessions.set(id, session);
          track(session, res);
        },
        onsessionclosed: (id) => void drop(id),
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      return undefined;
    },

    async close(): Promise<void> {
      clearInterval(sweep);
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(all.map((s) => s.server.close()));
    },
  };
}
