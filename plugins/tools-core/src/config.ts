import * as v from 'valibot';

const positiveInt = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max));
const baseUrl = v.pipe(v.string(), v.url('must be a URL such as https://api.example.com'));

/** tools-core's config (llm-bawt.config.yaml `plugins: - use: ... config:`); every field has a default. */
export const toolsCoreConfig = v.object({
  search: v.optional(
    v.object({
      /** `auto` picks Tavily, then Brave (when their keys are set), then DuckDuckGo. `SEARCH_PROVIDER` overrides `auto`. */
      provider: v.optional(v.picklist(['auto', 'duckduckgo', 'brave', 'tavily']), 'auto'),
      maxResults: v.optional(positiveInt(20), 5),
      timeoutMs: v.optional(positiveInt(120_000), 10_000),
      duckduckgo: v.optional(
        v.object({
          enabled: v.optional(v.boolean(), true),
          baseUrl: v.optional(baseUrl, 'https://html.duckduckgo.com'),
        }),
        {},
      ),
      brave: v.optional(
        v.object({
          /** Defaults to BRAVE_API_KEY from the environment. */
          apiKey: v.optional(v.string()),
          baseUrl: v.optional(baseUrl, 'https://api.search.brave.com'),
          safesearch: v.optional(v.picklist(['off', 'moderate', 'strict']), 'moderate'),
        }),
        {},
      ),
      tavily: v.optional(
        v.object({
          /** Defaults to TAVILY_API_KEY from the environment. */
          apiKey: v.optional(v.string()),
          baseUrl: v.optional(baseUrl, 'https://api.tavily.com'),
          searchDepth: v.optional(v.picklist(['basic', 'advanced']), 'basic'),
          includeAnswer: v.optional(v.boolean(), false),
        }),
        {},
      ),
    }),
    {},
  ),
  fetch: v.optional(
    v.object({
      /** Bytes read from a response (after decompression) before it is cut. */
      maxBytes: v.optional(positiveInt(50_000_000), 2_000_000),
      /** Characters of markdown handed to the model. */
      maxChars: v.optional(positiveInt(1_000_000), 50_000),
      timeoutMs: v.optional(positiveInt(120_000), 15_000),
      maxRedirects: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(20)), 5),
      /**
       * Self-hosted targets web_fetch may reach although they are private: hostnames
       * (`wiki.lan`), addresses (`10.0.0.5`) or CIDR ranges (`192.168.1.0/24`).
       */
      allowHosts: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
      userAgent: v.optional(v.string(), 'llm-bawt-web-fetch/0.1'),
    }),
    {},
  ),
});

export type ToolsCoreConfig = v.InferOutput<typeof toolsCoreConfig>;
