import { isIP } from 'node:net';
import type { Problem } from './problems.js';
import type { HostSettings } from './settings.js';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(address: string): boolean {
  const host = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || host.startsWith('::ffff:127.');
  return false;
}

/**
 * Listeners reachable from other machines must ask for an API key: binding one without a
 * key configured is refused before anything starts.
 */
export function bindProblems(settings: HostSettings): Problem[] {
  if (settings.apiKeys.length > 0) return [];
  const exposed = [...new Set([settings.listen.host, settings.mcp.host])].filter((address) => !isLoopback(address));
  return exposed.map((address) => ({
    code: 'LLMB_ERR_CONFIG',
    message:
      `refusing to listen on ${address}: it is reachable from other machines and no API key is configured. ` +
      'Set LLM_BAWT_API_KEYS=<key>[,<key>...] (or api_keys in llm-bawt.config.yaml), or bind to 127.0.0.1 (LLM_BAWT_HOST / --host).',
  }));
}
