import type { ToolsCoreConfig } from '../config.js';
import { AddressPolicy, type Resolver } from './address-policy.js';
import { FetchRefused, safeGet } from './safe-get.js';
import { htmlToMarkdown } from './to-markdown.js';

/** A page as web_fetch hands it to the model. */
export interface FetchedPage {
  url: string;
  title: string;
  content: string;
  truncated: boolean;
}

export interface WebFetcher {
  fetch(url: string, signal?: AbortSignal): Promise<FetchedPage>;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|ld\+json|[\w.+-]+\+(json|xml)))/i;
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)/i;

/** Builds web_fetch's fetcher from its config; `resolve` replaces DNS (tests). */
export function createWebFetcher(config: ToolsCoreConfig['fetch'], resolve?: Resolver): WebFetcher {
  const policy = new AddressPolicy(config.allowHosts);
  return {
    async fetch(url, signal) {
      const response = await safeGet(url, {
        policy,
        ...(resolve ? { resolve } : {}),
        maxBytes: config.maxBytes,
        timeoutMs: config.timeoutMs,
        maxRedirects: config.maxRedirects,
        userAgent: config.userAgent,
        ...(signal ? { signal } : {}),
      });
      if (response.status < 200 || response.status >= 300) throw new FetchRefused(`${response.url} answered HTTP ${response.status}`);
      const type = response.contentType.split(';')[0]?.trim() ?? '';
      let title = '';
      let content: string;
      if (HTML_TYPES.test(type) || (type === '' && /^\s*</.test(response.body))) {
        ({ title, markdown: content } = htmlToMarkdown(response.body, response.url));
      } else if (TEXT_TYPES.test(type) || type === '') {
        content = response.body;
      } else {
        throw new FetchRefused(`${response.url} is ${type}, not a page web_fetch can read`);
      }
      let truncated = response.truncated;
      if (content.length > config.maxChars) {
        content = content.slice(0, config.maxChars);
        truncated = true;
      }
      return { url: response.url, title, content, truncated };
    },
  };
}
