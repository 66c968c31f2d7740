import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createKeyCheck } from './auth.js';
import { isLoopback, resolveServerOptions, transportOpenaiConfigSchema } from './config.js';

const defaults = v.parse(transportOpenaiConfigSchema, {});

describe('resolveServerOptions', () => {
  it('defaults to 127.0.0.1:8642, a 4 MiB body limit and 15 s keepalives', () => {
    expect(resolveServerOptions(defaults, {}, {})).toEqual({ host: '127.0.0.1', port: 8642, apiKeys: [], bodyLimitBytes: 4 * 1024 * 1024, keepaliveMs: 15_000 });
  });

  it('prefers the host listen section, then plugin config, then the environment', () => {
    const env = { LLM_BAWT_HOST: '10.0.0.1', LLM_BAWT_PORT: '9000', LLM_BAWT_API_KEYS: 'a, b,,' };
    expect(resolveServerOptions(defaults, {}, env)).toMatchObject({ host: '10.0.0.1', port: 9000, apiKeys: ['a', 'b'] });
    const config = v.parse(transportOpenaiConfigSchema, { host: '::1', port: 7000, apiKeys: ['c'] });
    expect(resolveServerOptions(config, {}, env)).toMatchObject({ host: '::1', port: 7000, apiKeys: ['c'] });
    expect(resolveServerOptions(config, { host: '127.0.0.2', port: 0 }, env)).toMatchObject({ host: '127.0.0.2', port: 0 });
  });

  it('rejects a malformed LLM_BAWT_PORT and a malformed config', () => {
    expect(() => resolveServerOptions(defaults, {}, { LLM_BAWT_PORT: 'eighty' })).toThrow(/LLM_BAWT_PORT/);
    expect(v.safeParse(transportOpenaiConfigSchema, { port: 70000 }).success).toBe(false);
    expect(v.safeParse(transportOpenaiConfigSchema, { prot: 1 }).success).toBe(false);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['example.com', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('createKeyCheck', () => {
  it('accepts exactly the configured bearer keys', () => {
    const check = createKeyCheck(['k1', 'k2']);
    expect(check('Bearer k1')).toBe(true);
    expect(check('bearer k2')).toBe(true);
    expect(check('Bearer k3')).toBe(false);
    expect(check('Bearer k1x')).toBe(false);
    expect(check('Basic k1')).toBe(false);
    expect(check('k1')).toBe(false);
    expect(check(undefined)).toBe(false);
  });
});
