import { CliError, EXIT } from './errors.js';
import type { Terminal } from './terminal.js';

/** Where the CLI sends its requests: a running host, or one booted in this process. @public */
export interface Connection {
  /** Origin of the OpenAI-compatible API, without `/v1`. */
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  /** Said to the user: `in-process host` or the service URL. */
  readonly label: string;
  readonly inProcess: boolean;
  close(): Promise<void>;
}

/** Flags every command that talks to llm-bawt takes. @public */
export interface ConnectFlags {
  service?: string | undefined;
  apiKey?: string | undefined;
  config?: string | undefined;
}

/**
 * Boots a host inside this process and returns a connection to it (the host package passes
 * this in: the CLI itself knows nothing about booting). @public
 */
export type InProcessConnector = (flags: { config?: string | undefined }, terminal: Terminal) => Promise<Connection>;

/** `http://host:8642`, `host:8642/v1/` and the like, as an origin without `/v1`. */
export function normaliseServiceUrl(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError(`--service: '${raw}' is not a URL (expected something like http://127.0.0.1:8642)`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--service: '${raw}' must be an http or https URL`, EXIT.usage);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}`;
}

/** A running host at a URL: answers /health, or the command stops with exit code 4. */
export async function connectRemote(service: string, apiKey: string | undefined): Promise<Connection> {
  const baseUrl = normaliseServiceUrl(service);
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`GET /health answered ${response.status}`);
  } catch (error) {
    throw new CliError(`cannot reach llm-bawt at ${baseUrl}: ${reasonOf(error)}. Is 'llm-bawt host' running there?`, EXIT.unavailable);
  }
  return { baseUrl, apiKey, label: baseUrl, inProcess: false, close: async () => {} };
}

/** A network failure in words: `connection refused`, `timed out`, ... */
export function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'unknown host';
  if (code === 'ECONNRESET') return 'connection reset';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Opens the connection a command asked for: `--service URL` (or LLM_BAWT_SERVICE) talks to a
 * running host, otherwise a host is booted in this process.
 */
export async function connect(flags: ConnectFlags, terminal: Terminal, inProcess: InProcessConnector): Promise<Connection> {
  const service = flags.service ?? (terminal.env.LLM_BAWT_SERVICE || undefined);
  const apiKey = flags.apiKey ?? (terminal.env.LLM_BAWT_API_KEY || undefined);
  if (service !== undefined) return connectRemote(service, apiKey);
  return inProcess({ config: flags.config }, terminal);
}
