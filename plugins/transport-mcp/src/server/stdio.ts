import type { Readable, Writable } from 'node:stream';
import type { HostApi } from '@llm-bawt/sdk';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { transportMcpRef } from '../refs.js';
import { createMcpServer } from './mcp-server.js';

/** An MCP session over a pair of streams. */
export interface StdioSession {
  /** Settles when the client closes stdin (or {@link close} is called). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves the host's MCP tools over stdio (newline-delimited JSON-RPC) until the client closes
 * its end. Needs transport-mcp among the host's plugins. Nothing else may write to `stdout`:
 * logs go to stderr. @public
 */
export async function serveStdio(host: HostApi, streams: { stdin?: Readable; stdout?: Writable } = {}): Promise<StdioSession> {
  const stdin = streams.stdin ?? process.stdin;
  const stdout = streams.stdout ?? process.stdout;
  const { toolbox } = host.get(transportMcpRef);
  const server = createMcpServer(toolbox);
  let done!: () => void;
  const closed = new Promise<void>((resolve) => (done = resolve));
  const close = async () => {
    stdin.off('end', onEnd);
    await server.close();
    done();
  };
  const onEnd = () => void close();
  stdin.once('end', onEnd);
  await server.connect(new StdioServerTransport(stdin, stdout));
  return { closed, close };
}
