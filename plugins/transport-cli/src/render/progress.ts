import type { Style } from './style.js';
import { truncate } from './text.js';

/** Where progress is drawn; `columns` (as on a TTY stream) keeps the redrawn line from wrapping. */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  update(update: { done: number; total?: number; message?: string }): void;
  finish(line?: string): void;
  fail(line?: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001b[2K';
/** Without a TTY a line is printed at most every this many percent, or this often when the total is unknown. */
const PLAIN_STEP_PERCENT = 10;
const PLAIN_STEP_MS = 2000;

/** `1.2s`, `59.9s`, `1m05s`, `1h02m`. */
function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
}

/**
 * A progress line. On a TTY it is one line redrawn in place with a spinner; elsewhere
 * (pipes, CI logs) plain lines are printed when the message changes or the count moved on
 * by 10% (every 2 s when the total is unknown), with no control characters.
 */
export function createProgress(options: {
  stream: ProgressStream;
  style: Style;
  label: string;
  intervalMs?: number;
}): Progress {
  const { stream, style, label } = options;
  const tty = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? 80;
  const started = Date.now();
  /** Undefined until the first update: the line shows the label alone until there is a count. */
  let state: { done: number; total?: number; message?: string } | undefined;
  let frame = 0;
  let closed = false;

  const counts = (): string => {
    if (!state) return '';
    const { done, total } = state;
    return total === undefined ? `${done}` : `${done}/${total} (${percent(done, total)}%)`;
  };
  const elapsed = (): string => formatElapsed(Date.now() - started);
  const body = (): string => [label, counts(), state?.message].filter(Boolean).join('  ');

  let drawnAt = 0;
  let drawnMessage: string | undefined;
  const draw = (): void => {
    drawnAt = Date.now();
    drawnMessage = state?.message;
    const line = `${style.cyan(FRAMES[frame % FRAMES.length] ?? '')} ${body()}  ${style.dim(elapsed())}`;
    const width = stream.columns ? stream.columns - 1 : Number.POSITIVE_INFINITY;
    stream.write(CLEAR_LINE + truncate(line, width));
  };
  const timer = tty
    ? setInterval(() => {
        frame++;
        draw();
      }, intervalMs)
    : undefined;
  timer?.unref();
  if (tty) draw();

  let printed: { done: number; message?: string; at: number } | undefined;
  const printPlain = (update: { done: number; total?: number; message?: string }): void => {
    const now = Date.now();
    const { done, total, message } = update;
    const due =
      printed === undefined ||
      message !== printed.message ||
      (total !== undefined
        ? percent(done, total) - percent(printed.done, total) >= PLAIN_STEP_PERCENT || (done >= total && printed.done < total)
        : done !== printed.done && now - printed.at >= PLAIN_STEP_MS);
    if (!due) return;
    printed = { done, message, at: now };
    stream.write(`${body()}\n`);
  };

  const close = (mark: string, line: string | undefined): void => {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    const text = line ?? [label, counts(), elapsed()].filter(Boolean).join('  ');
    stream.write(`${tty ? CLEAR_LINE : ''}${mark} ${text}\n`);
  };

  return {
    update(update) {
      if (closed) return;
      state = { ...update };
      // Updates may come thousands a second: redraw at the timer's pace unless the message changed.
      if (tty) {
        if (update.message !== drawnMessage || Date.now() - drawnAt >= intervalMs) draw();
      } else printPlain(update);
    },
    finish(line) {
      close(style.green('✔'), line);
    },
    fail(line) {
      close(style.red('✖'), line);
    },
  };
}

/**
 * A spinner while waiting (for a first token, say): TTY only, a no-op elsewhere. `stop`
 * clears its line so whatever is written next starts at column 0.
 */
export function createSpinner(options: { stream: ProgressStream; style: Style; label: string; intervalMs?: number }): {
  stop(): void;
} {
  const { stream, style, label } = options;
  if (stream.isTTY !== true) return { stop() {} };
  let frame = 0;
  const draw = (): void => {
    stream.write(`${CLEAR_LINE}${style.cyan(FRAMES[frame % FRAMES.length] ?? '')} ${style.dim(label)}`);
  };
  const timer = setInterval(() => {
    frame++;
    draw();
  }, options.intervalMs ?? 80);
  timer.unref();
  draw();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write(CLEAR_LINE);
    },
  };
}
