/** One search hit. */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
  /** The provider that found it. */
  source: string;
  score?: number;
  /** When the page was published, as the provider put it. */
  published?: string;
}

/** What the search tool asks a provider. */
export interface SearchQuery {
  query: string;
  type: 'web' | 'news';
  maxResults: number;
  /** Past day, week, month or year. */
  timeRange?: 'd' | 'w' | 'm' | 'y';
  signal: AbortSignal;
}

export interface SearchAnswer {
  results: SearchResult[];
  /** A provider's own short answer (Tavily's `include_answer`). */
  answer?: string;
}

/** A web search backend. */
export interface SearchProvider {
  readonly id: 'duckduckgo' | 'brave' | 'tavily';
  search(query: SearchQuery): Promise<SearchAnswer>;
}

/** Tags, entities and runs of whitespace out of a provider's snippet. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' })[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Fails with the provider's name, status and a little of its body. */
export async function checkedJson(response: Response, provider: string): Promise<unknown> {
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).slice(0, 200);
    throw new Error(`${provider} search failed: HTTP ${response.status}${body ? ` ${body}` : ''}`);
  }
  return response.json();
}
