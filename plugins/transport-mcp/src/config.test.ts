import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { resolveMcpOptions, transportMcpConfigSchema } from './config.js';

const config = (input: unknown = {}) => v.parse(transportMcpConfigSchema, input);

describe('resolveMcpOptions', () => {
  it('defaults to 127.0.0.1:8001/mcp with sessions and no keys', () => {
    expect(resolveMcpOptions(config(), {}, {})).toMatchObject({ host: '127.0.0.1', port: 8001, path: '/mcp', apiKeys: [], sessions: true });
  });

  it("takes host and port from the plugin config, then the host's mcp section, then LLM_BAWT_MCP_PORT", () => {
    const env = { LLM_BAWT_MCP_PORT: '9100' };
    expect(resolveMcpOptions(config(), {}, env).port).toBe(9100);
    expect(resolveMcpOptions(config(), { mcp: { host: '10.0.0.2', port: 9200 } }, env)).toMatchObject({ host: '10.0.0.2', port: 9200 });
    expect(resolveMcpOptions(config({ host: '::1', port: 0 }), { mcp: { host: '10.0.0.2', port: 9200 } }, env)).toMatchObject({ host: '::1', port: 0 });
    expect(() => resolveMcpOptions(config(), {}, { LLM_BAWT_MCP_PORT: 'eighty' })).toThrow(/LLM_BAWT_MCP_PORT must be a port number/);
  });

  it("takes API keys from the host's settings, then the plugin config, then LLM_BAWT_API_KEYS", () => {
    const env = { LLM_BAWT_API_KEYS: ' a, b ,' };
    expect(resolveMcpOptions(config(), {}, env).apiKeys).toEqual(['a', 'b']);
    expect(resolveMcpOptions(config({ apiKeys: ['c'] }), {}, env).apiKeys).toEqual(['c']);
    expect(resolveMcpOptions(config({ apiKeys: ['c'] }), { apiKeys: ['d'] }, env).apiKeys).toEqual(['d']);
  });

  it('refuses unknown keys, bad paths and bad origins in the config', () => {
    expect(v.safeParse(transportMcpConfigSchema, { prot: 1 }).success).toBe(false);
    expect(v.safeParse(transportMcpConfigSchema, { path: 'mcp' }).success).toBe(false);
    expect(v.safeParse(transportMcpConfigSchema, { allowedOrigins: ['not a url'] }).success).toBe(false);
  });
});
