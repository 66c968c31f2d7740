import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolsCoreConfig } from '../config.js';
import { AddressPolicy, blockedRange, type Resolver } from './address-policy.js';
import { createWebFetcher } from './web-fetcher.js';

const PAGE = `<!doctype html><html><head><title>Fixture page</title><style>body{}</style><script>steal()</script></head>
<body><nav>Home | About</nav><main><h1>Welcome</h1><p>Read <a href="/docs/intro">the intro</a> and <b>enjoy</b>.</p>
<ul><li>one</li><li>two</li></ul></main><footer>(c) nobody</footer></body></html>`;

let server: Server;
let port: number;
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/page':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
        return;
      case '/secret':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('internal secret');
        return;
      case '/redirect':
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/page' }).end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(10_000));
        return;
      case '/slow':
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('late'), 2_000).unref();
        return;
      case '/gzip':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gzipSync('unzipped text'));
        return;
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      case '/image':
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([137, 80, 78, 71]));
        return;
      case '/missing':
        res.writeHead(404, { 'content-type': 'text/plain' }).end('nope');
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** `site.test` is the fixture server (allow-listed by name); other names resolve as the table says. */
const DNS: Record<string, string[]> = {
  'site.test': ['127.0.0.1'],
  'internal.test': ['10.1.2.3'],
  'loopback.test': ['127.0.0.1'],
  'mixed.test': ['93.184.216.34', '192.168.0.10'],
  'metadata.test': ['169.254.169.254'],
  'v6.test': ['fd00::1'],
};
const resolver: Resolver = async (hostname) => {
  const addresses = DNS[hostname];
  if (!addresses) throw new Error(`ENOTFOUND ${hostname}`);
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

function fetcher(fetch: Record<string, unknown> = {}) {
  const config = v.parse(toolsCoreConfig, { fetch: { allowHosts: ['site.test'], ...fetch } });
  return createWebFetcher(config.fetch, resolver);
}

describe('blockedRange: address forms', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['fc00::1', 'uniqueLocal'],
    ['fdff:ffff::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
  ])('refuses %s (%s)', (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });

  it.each(['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '8.8.8.8'])('lets public %s through', (address) => {
    expect(blockedRange(address)).toBeUndefined();
  });

  it('honours allow-listed addresses and CIDR ranges only', () => {
    const policy = new AddressPolicy(['192.168.1.0/24', '10.0.0.5', 'wiki.lan']);
    expect(policy.refusal('192.168.1.77')).toBeUndefined();
    expect(policy.refusal('192.168.2.1')).toBe('private');
    expect(policy.refusal('10.0.0.5')).toBeUndefined();
    expect(policy.refusal('10.0.0.6')).toBe('private');
    expect(policy.allowsHost('WIKI.lan')).toBe(true);
    expect(policy.allowsHost('wiki.lan.evil.com')).toBe(false);
  });
});

describe('web_fetch SSRF guard (against a live local server)', () => {
  // Each form names the fixture server on 127.0.0.1: a missing check would fetch the secret.
  it.each([
    'http://127.0.0.1:PORT/secret',
    'http://0x7f000001:PORT/secret',
    'http://2130706433:PORT/secret',
    'http://017700000001:PORT/secret',
    'http://0x7f.1:PORT/secret',
    'http://127.1:PORT/secret',
    'http://[::ffff:127.0.0.1]:PORT/secret',
    'http://[::1]:PORT/secret',
    'http://0.0.0.0:PORT/secret',
    'http://loopback.test:PORT/secret',
  ])('refuses %s', async (template) => {
    const url = template.replace('PORT', String(port));
    const before = hits.length;
    await expect(fetcher().fetch(url)).rejects.toThrow(/refusing to fetch/);
    expect(hits.length).toBe(before);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', /linkLocal/],
    ['http://10.0.0.1/', /private/],
    ['http://172.16.5.4/', /private/],
    ['http://192.168.0.1/', /private/],
    ['http://100.64.1.1/', /carrierGradeNat/],
    ['http://[fc00::1]/', /uniqueLocal/],
    ['http://[fe80::1]/', /linkLocal/],
    ['http://internal.test/', /resolves to 10\.1\.2\.3, a private address/],
    ['http://metadata.test/', /linkLocal/],
    ['http://v6.test/', /uniqueLocal/],
  ])('refuses %s without connecting', async (url, reason) => {
    await expect(fetcher().fetch(url)).rejects.toThrow(reason);
  });

  it('refuses a name when any one of its addresses is private', async () => {
    await expect(fetcher().fetch('http://mixed.test/')).rejects.toThrow(/resolves to 192\.168\.0\.10/);
  });

  it('re-checks every redirect hop', async () => {
    const base = `http://site.test:${port}`;
    for (const to of [`http://127.0.0.1:${port}/secret`, `http://[::ffff:127.0.0.1]:${port}/secret`, `http://loopback.test:${port}/secret`, 'http://169.254.169.254/latest/meta-data/']) {
      const before = hits.filter((h) => h === '/secret').length;
      await expect(fetcher().fetch(`${base}/redirect?to=${encodeURIComponent(to)}`)).rejects.toThrow(/refusing to fetch/);
      expect(hits.filter((h) => h === '/secret').length).toBe(before);
    }
  });

  it('follows a redirect to an allowed target and stops redirect loops', async () => {
    const page = await fetcher().fetch(`http://site.test:${port}/redirect?to=/page`);
    expect(page.url).toBe(`http://site.test:${port}/page`);
    await expect(fetcher({ maxRedirects: 3 }).fetch(`http://site.test:${port}/loop`)).rejects.toThrow(/too many redirects/);
  });

  it('fetches only http and https, and no URLs with credentials', async () => {
    await expect(fetcher().fetch('file:///etc/passwd')).rejects.toThrow(/only http and https/);
    await expect(fetcher().fetch('gopher://site.test/')).rejects.toThrow(/only http and https/);
    await expect(fetcher().fetch(`http://user:pw@site.test:${port}/page`)).rejects.toThrow(/credentials/);
    await expect(fetcher().fetch('not a url')).rejects.toThrow(/not a valid URL/);
  });

  it('lets an allow-listed address through', async () => {
    const page = await fetcher({ allowHosts: ['127.0.0.0/8'] }).fetch(`http://127.0.0.1:${port}/secret`);
    expect(page.content).toBe('internal secret');
  });
});

describe('web_fetch content', () => {
  it('turns HTML into markdown without scripts, styles or navigation, with absolute links', async () => {
    const page = await fetcher().fetch(`http://site.test:${port}/page`);
    expect(page.title).toBe('Fixture page');
    expect(page.content).toBe(`# Welcome\n\nRead [the intro](http://site.test:${port}/docs/intro) and **enjoy**.\n\n-   one\n-   two`);
    expect(page.truncated).toBe(false);
  });

  it('cuts bodies at maxBytes and markdown at maxChars', async () => {
    const bytes = await fetcher({ maxBytes: 1_000 }).fetch(`http://site.test:${port}/big`);
    expect(bytes.content).toHaveLength(1_000);
    expect(bytes.truncated).toBe(true);
    const chars = await fetcher({ maxChars: 100 }).fetch(`http://site.test:${port}/big`);
    expect(chars.content).toHaveLength(100);
    expect(chars.truncated).toBe(true);
  });

  it('gives up after timeoutMs', async () => {
    await expect(fetcher({ timeoutMs: 200 }).fetch(`http://site.test:${port}/slow`)).rejects.toThrow(/took longer than 200 ms/);
  });

  it('decodes gzip, passes JSON through, refuses binary and error statuses', async () => {
    expect((await fetcher().fetch(`http://site.test:${port}/gzip`)).content).toBe('unzipped text');
    expect((await fetcher().fetch(`http://site.test:${port}/json`)).content).toBe('{"ok":true}');
    await expect(fetcher().fetch(`http://site.test:${port}/image`)).rejects.toThrow(/image\/png/);
    await expect(fetcher().fetch(`http://site.test:${port}/missing`)).rejects.toThrow(/HTTP 404/);
  });
});
