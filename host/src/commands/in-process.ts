import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { transportOpenaiPlugin } from '@llm-bawt/plugin-transport-openai';
import { CliError, EXIT, type Connection, type InProcessConnector, type Terminal } from '@llm-bawt/plugin-transport-cli';
import { bootHost, planBoot } from '../boot.js';
import { bootRequest, loggerFor, type CliIo } from '../cli-io.js';
import type { LogLevel } from '@llm-bawt/core';
import { isBootFailure } from '../problems.js';

const TRANSPORT = 'openai-http';

function ioOf(terminal: Terminal): CliIo {
  return { env: terminal.env, cwd: process.cwd(), homeDir: homedir(), out: terminal.err, err: terminal.err, exit: (code) => process.exit(code) };
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
    const locked = /lock|in use|busy/i.test(error.message);
    const hint = locked ? "\nA running host may be using the embedded database: talk to it with --service http://127.0.0.1:8642 (or set LLM_BAWT_SERVICE)." : '';
    throw new CliError(`${error.message}${hint}`, EXIT.unavailable);
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
