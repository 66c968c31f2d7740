import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { literalAddress, type AddressPolicy, type ResolvedAddress, type Resolver } from './address-policy.js';

/** Limits and collaborators of one guarded fetch. */
export interface SafeGetOptions {
  policy: AddressPolicy;
  resolve?: Resolver;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  userAgent: string;
  signal?: AbortSignal;
}

/** A fetched response body, cut at `maxBytes`. */
export interface FetchedResponse {
  /** The URL after redirects. */
  url: string;
  status: number;
  contentType: string;
  body: string;
  truncated: boolean;
}

/** A refusal the model should read (private target, bad scheme, too many redirects, ...). */
export class FetchRefused extends Error {
  override readonly name = 'FetchRefused';
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export const systemResolver: Resolver = async (hostname) => {
  const addresses = await dnsLookup(hostname, { all: true, verbatim: true });
  return addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * Checks where a URL would connect and returns the address to pin the connection to. Every
 * address the name resolves to must be public (or allowed), so a name that also resolves to
 * an internal address cannot be used to reach it. An allow-listed hostname skips the check
 * but is still resolved once and pinned.
 */
async function checkTarget(url: URL, options: SafeGetOptions): Promise<ResolvedAddress | undefined> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused(`only http and https URLs can be fetched, not ${url.protocol.slice(0, -1)}`);
  if (url.username !== '' || url.password !== '') throw new FetchRefused('URLs with credentials are not fetched');
  const literal = literalAddress(url.hostname);
  if (literal !== undefined) {
    const reason = options.policy.refusal(literal);
    if (reason !== undefined) throw new FetchRefused(`refusing to fetch ${url.hostname}: it is a ${reason} address`);
    return undefined;
  }
  const allowed = options.policy.allowsHost(url.hostname);
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(url.hostname);
  } catch (error) {
    throw new FetchRefused(`cannot resolve ${url.hostname}: ${(error as Error).message}`);
  }
  if (addresses.length === 0) throw new FetchRefused(`cannot resolve ${url.hostname}`);
  for (const { address } of allowed ? [] : addresses) {
    const reason = options.policy.refusal(address);
    if (reason !== undefined) throw new FetchRefused(`refusing to fetch ${url.hostname}: it resolves to ${address}, a ${reason} address`);
  }
  return addresses[0];
}

/** A lookup that answers with the checked address, so DNS cannot change between check and connect. */
function pinned(target: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  }) as LookupFunction;
}

function open(url: URL, target: ResolvedAddress | undefined, options: SafeGetOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        signal,
        headers: {
          'user-agent': options.userAgent,
          accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.8,*/*;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
        },
        ...(target ? { lookup: pinned(target) } : {}),
      },
      resolve,
    );
    request.on('error', reject);
    request.end();
  });
}

function decoded(response: IncomingMessage): Readable {
  switch ((response.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(createGunzip());
    case 'deflate':
      return response.pipe(createInflate());
    case 'br':
      return response.pipe(createBrotliDecompress());
    default:
      return response;
  }
}

function charsetOf(contentType: string): string {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).encoding;
  } catch {
    return 'utf-8';
  }
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const body = decoded(response);
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    if (chunk.length >= room) {
      chunks.push(chunk.subarray(0, room));
      size = maxBytes;
      truncated = chunk.length > room;
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  if (truncated || size >= maxBytes) {
    truncated ||= !response.complete;
    response.destroy();
    body.destroy();
  }
  return { bytes: Buffer.concat(chunks, size), truncated };
}

/**
 * GETs a URL for a model: http/https only, every hop's target checked (redirects are
 * followed by hand, never by the client), the connection pinned to the checked address,
 * the body cut at `maxBytes` and the whole fetch at `timeoutMs`.
 */
export async function safeGet(url: string, options: SafeGetOptions): Promise<FetchedResponse> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new FetchRefused(`not a valid URL: ${url}`);
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    for (let hop = 0; ; hop++) {
      const target = await checkTarget(current, options);
      signal.throwIfAborted();
      const response = await open(current, target, options, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECTS.has(status) && location) {
        response.destroy();
        if (hop >= options.maxRedirects) throw new FetchRefused(`too many redirects (more than ${options.maxRedirects})`);
        current = new URL(location, current);
        continue;
      }
      const contentType = response.headers['content-type'] ?? '';
      const { bytes, truncated } = await readCapped(response, options.maxBytes);
      return { url: current.href, status, contentType, body: new TextDecoder(charsetOf(contentType)).decode(bytes), truncated };
    }
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) throw new FetchRefused(`fetching ${url} took longer than ${options.timeoutMs} ms`);
    throw error;
  }
}
