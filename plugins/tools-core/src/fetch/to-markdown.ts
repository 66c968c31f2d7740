import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';

/** Elements that carry no readable content. */
const NOISE = 'script,style,noscript,iframe,svg,canvas,template,form,nav,footer,aside,link,meta';

let turndown: TurndownService | undefined;

function converter(): TurndownService {
  turndown ??= new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*' });
  return turndown;
}

function absolute(value: string | null, base: string): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value, base).href;
  } catch {
    return undefined;
  }
}

/**
 * An HTML page as markdown: noise removed, links and images made absolute, the `<main>`
 * or `<article>` element preferred over the whole body.
 */
export function htmlToMarkdown(html: string, url: string): { title: string; markdown: string } {
  const { document } = parseHTML(html);
  const base = absolute(document.querySelector('base[href]')?.getAttribute('href') ?? null, url) ?? url;
  const title = (document.title || document.querySelector('h1')?.textContent || '').trim();
  for (const node of document.querySelectorAll(NOISE)) node.remove();
  for (const link of document.querySelectorAll('a[href]')) {
    const href = absolute(link.getAttribute('href'), base);
    if (href) link.setAttribute('href', href);
  }
  for (const image of document.querySelectorAll('img[src]')) {
    const src = absolute(image.getAttribute('src'), base);
    if (src) image.setAttribute('src', src);
  }
  const root = document.querySelector('main') ?? document.querySelector('article') ?? document.body ?? document.documentElement;
  const markdown = root ? converter().turndown(root as unknown as TurndownService.Node) : '';
  return { title, markdown: markdown.replace(/\n{3,}/g, '\n\n').trim() };
}
