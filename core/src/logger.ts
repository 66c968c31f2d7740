import { createConsola, type ConsolaInstance } from 'consola';
import type { Logger } from '@llm-bawt/sdk';

/** Level names accepted by LLM_BAWT_LOG_LEVEL. */
const LEVELS = { silent: -999, error: 0, warn: 1, info: 3, debug: 4 } as const;
export type LogLevel = keyof typeof LEVELS;

function wrap(consola: ConsolaInstance, bindings: Record<string, unknown>): Logger {
  const tag = Object.entries(bindings)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, data?: Record<string, unknown>): void => {
      const text = tag ? `[${tag}] ${message}` : message;
      if (data === undefined) consola[level](text);
      else consola[level](text, data);
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => wrap(consola, { ...bindings, ...more }),
  };
}

/** The host's logger: consola on stderr, level from LLM_BAWT_LOG_LEVEL (default info). */
export function createLogger(level: LogLevel = 'info'): Logger {
  const consola = createConsola({ level: LEVELS[level], stdout: process.stderr, stderr: process.stderr });
  return wrap(consola, {});
}

export function parseLogLevel(value: string | undefined): LogLevel {
  return value !== undefined && value in LEVELS ? (value as LogLevel) : 'info';
}
