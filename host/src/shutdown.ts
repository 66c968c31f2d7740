/** Exit codes of a forced stop: 128 + the signal number, as shells report them. */
export const FORCED_EXIT_CODE = { SIGINT: 130, SIGTERM: 143 } as const;

export type ShutdownSignal = keyof typeof FORCED_EXIT_CODE;

export interface ShutdownOptions {
  close: () => Promise<void>;
  print: (line: string) => void;
  exit: (code: number) => void;
  /** Where signals come from; `process` outside tests. */
  source?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * First SIGINT/SIGTERM: close the host (transports stop, turns drain, disposers run last-in
 * first-out), then exit 0. A second signal while closing exits at once with 130/143.
 * Returns a function that removes the handlers.
 */
export function handleShutdownSignals(options: ShutdownOptions): () => void {
  const source = options.source ?? process;
  let closing = false;
  // Without transports nothing else keeps the event loop alive until a signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const onSignal = (signal: ShutdownSignal) => {
    if (closing) {
      options.print(`received ${signal} again: exiting now without finishing shutdown`);
      options.exit(FORCED_EXIT_CODE[signal]);
      return;
    }
    closing = true;
    options.print(`received ${signal}: shutting down (send it again to force)`);
    options.close().then(
      () => {
        clearInterval(keepAlive);
        options.print('llm-bawt stopped cleanly');
        options.exit(0);
      },
      (error: unknown) => {
        clearInterval(keepAlive);
        options.print(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        options.exit(1);
      },
    );
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  source.on('SIGINT', onInt);
  source.on('SIGTERM', onTerm);
  return () => {
    clearInterval(keepAlive);
    source.off('SIGINT', onInt);
    source.off('SIGTERM', onTerm);
  };
}
