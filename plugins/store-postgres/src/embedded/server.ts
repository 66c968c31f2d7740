import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { acquireLock } from './lock.js';

/** A running embedded database: PGlite in a worker thread, served on 127.0.0.1:port. */
export interface EmbeddedServer {
  readonly port: number;
  /** Connection URL, with the password made for this start. */
  readonly url: string;
  stop(): Promise<void>;
}

type WorkerMessage = { type: 'ready'; port: number } | { type: 'stopped' } | { type: 'error'; message: string };

const WORKER_URL = new URL('../../worker/pglite-worker.mjs', import.meta.url);
const STOP_TIMEOUT_MS = 10_000;
const noop = () => {};

/** Where PGlite keeps its files inside the plugin's data directory. */
export function pgDataDir(dataDir: string): string {
  return dataDir.startsWith('memory://') ? dataDir : join(dataDir, 'pgdata');
}

/**
 * Starts PGlite (with pgvector) in a `worker_threads` worker that serves the PostgreSQL wire
 * protocol on a random loopback port. The socket server serves one connection at a time, so
 * clients must use a pool of exactly one connection (DESIGN §8).
 */
export async function startEmbedded(dataDir: string, options: { onCrash?: (error: Error) => void } = {}): Promise<EmbeddedServer> {
  const inMemory = dataDir.startsWith('memory://');
  let release = noop;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    const lock = acquireLock(join(dataDir, 'pgdata.lock'));
    if ('heldBy' in lock) {
      const who = lock.heldBy === process.pid ? 'another host in this process' : `process ${lock.heldBy}`;
      throw new Error(`it is in use by ${who}; stop that host first, or give this one its own dataDir`);
    }
    release = lock.release;
  }

  // PGlite trusts every client; the worker asks for this password, so other local users
  // cannot use the database through its loopback port.
  const password = randomBytes(24).toString('base64url');
  const worker = new Worker(WORKER_URL, { workerData: { dataDir: pgDataDir(dataDir), password } });
  let stopped: Promise<void> | undefined;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  void exited.then(() => release());

  let ready = false;
  worker.on('error', (error) => {
    if (ready) options.onCrash?.(error);
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'ready') resolve(message.port);
        else if (message.type === 'error') reject(new Error(message.message));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      void exited.then((code) => reject(new Error(`the database worker exited with code ${code} while starting`)));
    });
    ready = true;
  } catch (error) {
    await worker.terminate();
    release();
    throw error;
  }

  const stop = () => {
    stopped ??= (async () => {
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker, not a window
      worker.postMessage({ type: 'stop' });
      const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      release();
    })();
    return stopped;
  };
  return { port, url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, stop };
}
