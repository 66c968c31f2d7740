import { describe, expect, it } from 'vitest';
import { createKeyCheck, createOriginCheck, isLoopback } from './security.js';

describe('createKeyCheck', () => {
  it('accepts exactly the configured bearer keys', () => {
    const check = createKeyCheck(['k1', 'k2']);
    expect(check('Bearer k1')).toBe(true);
    expect(check('bearer   k2 ')).toBe(true);
    for (const header of [undefined, '', 'k1', 'Bearer', 'Bearer k3', 'Bearer k1 extra', 'Basic k1']) expect(check(header), String(header)).toBe(false);
  });
});

describe('createOriginCheck', () => {
  it('lets Origin-less clients, localhost and the bound address in; refuses the rest', () => {
    const check = createOriginCheck('192.168.1.5', ['https://app.example']);
    for (const origin of [undefined, 'http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:8080', 'http://192.168.1.5:8001', 'https://app.example']) {
      expect(check(origin), String(origin)).toBe(true);
    }
    for (const origin of ['https://evil.example', 'null', 'http://192.168.1.6', 'https://app.example.evil', 'http://localhost.evil.example', 'file:///etc', 'chrome-extension://abc']) {
      expect(check(origin), origin).toBe(false);
    }
  });

  it('does not treat a wildcard bind address as an allowed origin', () => {
    expect(createOriginCheck('0.0.0.0', [])('http://0.0.0.0:8001')).toBe(false);
  });
});

describe('isLoopback', () => {
  it('knows loopback addresses', () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '[::1]', 'localhost']) expect(isLoopback(address), address).toBe(true);
    for (const address of ['0.0.0.0', '::', '10.0.0.1', 'example.com']) expect(isLoopback(address), address).toBe(false);
  });
});
