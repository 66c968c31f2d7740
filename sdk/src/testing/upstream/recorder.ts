import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from './types.js';

interface Tracking {
  settled: Promise<void>;
  serverClosed: boolean;
}

interface Waiter {
  n: number;
  resolve(request: RecordedRequest): void;
}

/** Keeps the request records, and tells waiters when requests arrive and settle. */
export class Recorder {
  readonly requests: RecordedRequest[] = [];
  #tracking = new WeakMap<RecordedRequest, Tracking>();
  #waiters: Waiter[] = [];
  #closing = false;

  /** Records a request and follows its response until it closes. */
  add(request: RecordedRequest, res: ServerResponse): RecordedRequest {
    let resolve!: () => void;
    const tracking: Tracking = { settled: new Promise<void>((r) => (resolve = r)), serverClosed: false };
    this.#tracking.set(request, tracking);
    res.once('close', () => {
      request.completed = res.writableFinished;
      request.aborted = !request.completed && !tracking.serverClosed && !this.#closing;
      resolve();
    });
    this.requests.push(request);
    if (this.#waiters.length > 0) this.#wake();
    return request;
  }

  /** Marks a request's connection as dropped on purpose by the server. */
  markServerClosed(request: RecordedRequest): void {
    const tracking = this.#tracking.get(request);
    if (tracking) tracking.serverClosed = true;
  }

  markClosing(): void {
    this.#closing = true;
  }

  waitFor(n: number | undefined, timeoutMs: number): Promise<RecordedRequest> {
    const wanted = n ?? this.requests.length + 1;
    const present = this.requests[wanted - 1];
    if (present) return Promise.resolve(present);
    return new Promise<RecordedRequest>((resolve, reject) => {
      const waiter: Waiter = {
        n: wanted,
        resolve: (request) => {
          clearTimeout(timer);
          resolve(request);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`scripted upstream: request #${wanted} not received within ${timeoutMs} ms (got ${this.requests.length})`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  settled(request: RecordedRequest, timeoutMs: number): Promise<void> {
    const tracking = this.#tracking.get(request);
    if (!tracking) return Promise.reject(new Error('scripted upstream: not a request recorded by this server'));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`scripted upstream: ${request.method} ${request.path} not settled within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([tracking.settled, timeout]).finally(() => clearTimeout(timer));
  }

  clear(): void {
    this.requests.length = 0;
  }

  #wake(): void {
    const count = this.requests.length;
    const ready = this.#waiters.filter((w) => w.n <= count);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.n > count);
    for (const waiter of ready) waiter.resolve(this.requests[waiter.n - 1]!);
  }
}
