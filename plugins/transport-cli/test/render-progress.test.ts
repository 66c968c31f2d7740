import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress, createSpinner } from '../src/render/progress.js';
import { createStyle } from '../src/render/style.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } };
}

const noColor = createStyle({ isTTY: false, env: {} });
// Escape sequences, carriage returns and other C0 controls; newline is fine.
// oxlint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createProgress without a TTY', () => {
  it('prints plain lines every 10% or on a new message, then the final line', () => {
    const { writes, stream } = fakeStream(false);
    const progress = createProgress({ stream, style: noColor, label: 'import' });
    for (let done = 0; done <= 200; done++) {
      progress.update({ done, total: 200, message: done < 150 ? 'documents' : 'vectors' });
      vi.advanceTimersByTime(5);
    }
    progress.finish('imported 200 items');
    vi.advanceTimersByTime(10_000);

    const output = writes.join('');
    expect(output).not.toMatch(CONTROL);
    expect(writes.every((w) => w.endsWith('\n'))).toBe(true);
    expect(writes[0]).toBe('import  0/200 (0%)  documents\n');
    expect(writes).toContain('import  20/200 (10%)  documents\n');
    expect(writes).toContain('import  150/200 (75%)  vectors\n');
    expect(writes).toContain('import  200/200 (100%)  vectors\n');
    expect(writes.length).toBeLessThanOrEqual(14);
    expect(writes.at(-1)).toBe('✔ imported 200 items\n');
  });

  it('prints at most every 2 s when the total is unknown', () => {
    const { writes, stream } = fakeStream(false);
    const progress = createProgress({ stream, style: noColor, label: 'scan' });
    for (let done = 1; done <= 50; done++) {
      progress.update({ done });
      vi.advanceTimersByTime(100);
    }
    expect(writes).toEqual(['scan  1\n', 'scan  21\n', 'scan  41\n']);
    progress.fail();
    expect(writes.at(-1)).toBe('✖ scan  50  5.0s\n');
  });
});

describe('createProgress on a TTY', () => {
  it('redraws one line in place with a spinner, and ends with the final line', () => {
    const { writes, stream } = fakeStream(true);
    const style = createStyle({ isTTY: true, env: {} });
    const progress = createProgress({ stream, style, label: 'import', intervalMs: 50 });
    progress.update({ done: 3, total: 10, message: 'chunks' });
    vi.advanceTimersByTime(200);
    expect(writes.length).toBeGreaterThanOrEqual(5);
    for (const write of writes) {
      expect(write.startsWith('\r\u001b[2K')).toBe(true);
      expect(write).not.toContain('\n');
    }
    expect(writes.at(-1)).toContain('import  3/10 (30%)  chunks');
    // The spinner moves on between redraws.
    expect(new Set(writes.map((w) => w.slice(0, 20))).size).toBeGreaterThan(1);

    progress.finish();
    const last = writes.at(-1) ?? '';
    expect(last.startsWith('\r\u001b[2K')).toBe(true);
    expect(last).toContain(style.green('✔'));
    expect(last.endsWith('\n')).toBe(true);
    const count = writes.length;
    vi.advanceTimersByTime(1000);
    progress.update({ done: 4, total: 10 });
    expect(writes.length).toBe(count);
  });

  it('keeps the line shorter than the terminal', () => {
    const writes: string[] = [];
    const stream = { isTTY: true, columns: 30, write: (s: string) => writes.push(s) };
    const progress = createProgress({ stream, style: noColor, label: 'import' });
    progress.update({ done: 1, total: 2, message: 'a message far too long for a thirty column terminal' });
    expect((writes.at(-1) ?? '').replace('\r\u001b[2K', '').length).toBeLessThanOrEqual(29);
    progress.finish();
  });
});

describe('createSpinner', () => {
  it('does nothing without a TTY', () => {
    const { writes, stream } = fakeStream(false);
    const spinner = createSpinner({ stream, style: noColor, label: 'thinking' });
    vi.advanceTimersByTime(500);
    spinner.stop();
    expect(writes).toEqual([]);
  });

  it('spins on a TTY until stopped, then clears its line', () => {
    const { writes, stream } = fakeStream(true);
    const spinner = createSpinner({ stream, style: noColor, label: 'thinking' });
    vi.advanceTimersByTime(500);
    expect(writes.length).toBeGreaterThan(3);
    expect(writes[0]).toContain('thinking');
    spinner.stop();
    spinner.stop();
    const count = writes.length;
    expect(writes.at(-1)).toBe('\r\u001b[2K');
    vi.advanceTimersByTime(500);
    expect(writes.length).toBe(count);
  });
});
