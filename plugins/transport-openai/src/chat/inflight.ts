import type { ServerResponse } from 'node:http';

/** Why a chat request was stopped before its turn ended. */
export type StopReason = 'client' | 'shutdown';

/** One running chat request: its turn's abort controller and why it was stopped, if it was. */
export class InflightRequest {
  readonly controller = new AbortController();
  stopReason: StopReason | undefined;

  stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.controller.abort(new Error(reason === 'client' ? 'the client closed the connection' : 'llm-bawt is shutting down'));
  }
}

/** The requests in flight (chat and plugin routes), so a client's disconnect and the server's shutdown can stop them. */
export class InflightRequests {
  readonly #requests = new Set<InflightRequest>();

  get size(): number {
    return this.#requests.size;
  }

  /** Tracks a request until `release`; the response closing early aborts its turn. */
  open(res: ServerResponse): { request: InflightRequest; release: () => void } {
    const request = new InflightRequest();
    const onClose = () => {
      if (!res.writableFinished) request.stop('client');
    };
    res.once('close', onClose);
    this.#requests.add(request);
    return {
      request,
      release: () => {
        res.off('close', onClose);
        this.#requests.delete(request);
      },
    };
  }

  stopAll(): void {
    for (const request of this.#requests) request.stop('shutdown');
  }
}
