import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { transportOpenaiPlugin } from '@llm-bawt/plugin-transport-openai';
import { CliError, connectRemote, EXIT, type Connection, type InProcessConnector, type Terminal } from '@llm-bawt/plugin-transport-cli';
import { bootHost, planBoot } from '../boot.js';
import { bootRequest, loggerFor, type CliIo } from '../cli-io.js';
import type { LogLevel } from '@llm-bawt/core';
import { isBootFailure } from '../problems.js';
import type { HostSettings } from '../settings.js';

const TRANSPORT = 'openai-http';

function ioOf(terminal: Terminal): CliIo {
  return { env: terminal.env, cwd: process.cwd(), homeDir: homedir(), out: terminal.err, err: terminal.err, exit: (code) => process.exit(code) };
}

/** Where the configured host listens, as a URL a client can use. */
function serviceUrl(settings: HostSettings): string {
  const address = settings.listen.host === '0.0.0.0' || settings.listen.host === '' ? '127.0.0.1' : settings.listen.host === '::' ? '::1' : settings.listen.host;
  return `http://${address.includes(':') ? `[${address}]` : address}:${settings.listen.port}`;
}

/** The host at the configured address, when it answers; a note on stderr says it is used. */
async function runningHost(settings: HostSettings, terminal: Terminal): Promise<Connection | undefined> {
  const url = serviceUrl(settings);
  try {
    const connection = await connectRemote(url, terminal.env.LLM_BAWT_API_KEY || settings.apiKeys[0]);
    terminal.err(terminal.errStyle.dim(`(the embedded database is in use by the host at ${url}: using that host)`));
    return connection;
  } catch {
    return undefined;
  }
}

/**
 * The host's log level while it shares the terminal with a chat or an answer: errors only,
 * unless LLM_BAWT_LOG_LEVEL asks for more (background work such as a summary falling back to
 * its heuristic is not worth interrupting a conversation for).
 */
function terminalLevel(terminal: Terminal, configured: LogLevel): LogLevel {
  return terminal.env.LLM_BAWT_LOG_LEVEL ? configured : 'error';
}

/**
 * Boots the configured host inside the CLI's process, with only the OpenAI-compatible listener,
 * on a loopback port of its own and behind a key made for this process, so the commands use the
 * same API in-process as against a running host. The MCP listener is not started.
 */
export const inProcessHost: InProcessConnector = async (flags, terminal): Promise<Connection> => {
  const io = ioOf(terminal);
  const plan = await planBoot(bootRequest(io, { config: flags.config }, false));
  if (!plan.options.plugins.some((plugin) => plugin.id === transportOpenaiPlugin.id)) plan.options.plugins = [...plan.options.plugins, transportOpenaiPlugin];
  const apiKey = randomBytes(24).toString('base64url');
  plan.options.listen = { ...plan.options.listen, host: '127.0.0.1', port: 0, apiKeys: [apiKey] };
  let host;
  try {
    host = await bootHost(plan, { transports: [TRANSPORT], logger: loggerFor(io, terminalLevel(terminal, plan.settings.logLevel)) });
  } catch (error) {
    if (!isBootFailure(error)) throw error;
    if (!/in use by process/i.test(error.message)) throw new CliError(error.message, EXIT.unavailable);
    // The embedded database belongs to a running host: talk to that host when it answers where it is configured to listen.
    const running = await runningHost(plan.settings, terminal);
    if (running) return running;
    const url = serviceUrl(plan.settings);
    throw new CliError(`${error.message}\nIf that host listens elsewhere than ${url}, talk to it with --service URL (or set LLM_BAWT_SERVICE).`, EXIT.unavailable);
  }
  const endpoint = host.endpoints().find((e) => e.transport === TRANSPORT);
  if (!endpoint) {
    await host.close();
    throw new CliError('the in-process host started without its HTTP listener', EXIT.unavailable);
  }
  return {
    baseUrl: endpoint.url.replace(/\/v1\/?$/, ''),
    apiKey,
    label: 'in-process host',
    inProcess: true,
    close: () => host.close(),
  };
};
