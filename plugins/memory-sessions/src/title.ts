/** Longest auto title, in characters (the ellipsis included). */
export const TITLE_MAX = 60;

/**
 * A session title from its first user message: whitespace collapsed, at most 60
 * characters, cut on a word boundary with an ellipsis. Slash commands give no title. No
 * model is involved.
 */
export function autoTitle(text: string, max = TITLE_MAX): string | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '' || flat.startsWith('/')) return undefined;
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  // The cut may fall right after a whole word; otherwise go back to the last word boundary.
  const space = flat[max - 1] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return `${(space >= max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.!?-]+$/, '')}…`;
}
