import pc from 'picocolors';

/** Terminal text styles; with colour off every function returns its input unchanged. */
export interface Style {
  readonly color: boolean;
  bold(s: string): string;
  dim(s: string): string;
  italic(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
}

/**
 * Colour is on for a TTY unless NO_COLOR is set to a non-empty value (https://no-color.org)
 * or TERM is `dumb`. FORCE_COLOR overrides both ways, as in Node and supports-color:
 * `0`/`false` forces colour off, any other value (the empty string too) forces it on.
 */
function colorEnabled(options: { isTTY: boolean; env: Readonly<Record<string, string | undefined>> }): boolean {
  const { isTTY, env } = options;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env['NO_COLOR']) return false;
  if (env['TERM'] === 'dumb') return false;
  return isTTY;
}

export function createStyle(options: { isTTY: boolean; env: Readonly<Record<string, string | undefined>> }): Style {
  const color = colorEnabled(options);
  const c = pc.createColors(color);
  return {
    color,
    bold: c.bold,
    dim: c.dim,
    italic: c.italic,
    red: c.red,
    green: c.green,
    yellow: c.yellow,
    blue: c.blue,
    magenta: c.magenta,
    cyan: c.cyan,
  };
}
