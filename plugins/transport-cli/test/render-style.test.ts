import { describe, expect, it } from 'vitest';
import { createStyle } from '../src/render/style.js';

describe('createStyle', () => {
  const cases: Array<[string, boolean, Record<string, string | undefined>, boolean]> = [
    ['a TTY', true, {}, true],
    ['a pipe', false, {}, false],
    ['NO_COLOR on a TTY', true, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR', true, { NO_COLOR: '' }, true],
    ['TERM=dumb', true, { TERM: 'dumb' }, false],
    ['FORCE_COLOR on a pipe', false, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR over NO_COLOR', true, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ['an empty FORCE_COLOR', false, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=0 on a TTY', true, { FORCE_COLOR: '0' }, false],
  ];

  it.each(cases)('%s', (_name, isTTY, env, color) => {
    const style = createStyle({ isTTY, env });
    expect(style.color).toBe(color);
    expect(style.bold('x') !== 'x').toBe(color);
  });

  it('returns every input unchanged when colour is off', () => {
    const style = createStyle({ isTTY: false, env: {} });
    for (const name of ['bold', 'dim', 'italic', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan'] as const) {
      expect(style[name]('some *text*')).toBe('some *text*');
    }
  });

  it('wraps text in escape codes when colour is on', () => {
    const style = createStyle({ isTTY: true, env: {} });
    expect(style.red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
