import { definePlugin } from '@llm-bawt/sdk';
import { toolsCoreConfig } from './config.js';
import { createToolsCoreRuntime, toolsCoreRef } from './runtime.js';
import { modelTool } from './tools/model.js';
import { searchTool } from './tools/search.js';
import { timeTool } from './tools/time.js';
import { webFetchTool } from './tools/web-fetch.js';

/** Built-in tools: `time`, `model`, `search` (DuckDuckGo, Brave, Tavily) and `web_fetch`. @public */
export const toolsCorePlugin = definePlugin({
  id: 'tools-core',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Built-in tools: time, model, web search and web_fetch with an SSRF guard',
  config: toolsCoreConfig,
  provides: [toolsCoreRef],
  contributes: { tools: [timeTool, modelTool, searchTool, webFetchTool] },
  setup(ctx) {
    const runtime = createToolsCoreRuntime(ctx.config, ctx.env);
    if (!runtime.search.provider) ctx.logger.warn(runtime.search.reason);
    else ctx.logger.debug(`search provider: ${runtime.search.provider.id}`);
    ctx.provide(toolsCoreRef, () => runtime);
  },
});

export default toolsCorePlugin;
