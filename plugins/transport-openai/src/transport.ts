import type { Server } from 'node:http';
import { createError, defineTransport } from '@llm-bawt/sdk';
import { createOpenaiListener } from './app.js';
import { InflightRequests } from './chat/inflight.js';
import { isLoopback, resolveServerOptions } from './config.js';
import { transportOpenaiRef } from './state.js';

const CLOSE_GRACE_MS = 5_000;

function urlHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The OpenAI-compatible HTTP listener. listhen binds the h3 app with every developer
 * convenience pinned off (no URL banner, QR code, browser, clipboard, tunnel or signal
 * handlers, and no silent switch to another port when the configured one is taken).
 */
export const openaiTransport = defineTransport({
  id: 'openai-http',
  async start(ctx) {
    const state = ctx.host.get(transportOpenaiRef);
    const listen = ctx.host.listen;
    const options = resolveServerOptions(state.config, listen, ctx.env);
    if (!isLoopback(options.host) && options.apiKeys.length === 0) {
      throw createError(
        'LLMB_ERR_CONFIG',
        `refusing to listen on ${options.host}: it is reachable from other machines and no API key is configured. ` +
          `Set LLM_BAWT_API_KEYS (clients then send "Authorization: Bearer <key>"), or bind to 127.0.0.1`,
        { pluginId: 'transport-openai' },
      );
    }

    const inflight = new InflightRequests();
    const handler = createOpenaiListener({ host: ctx.host, logger: ctx.logger, inflight, options, startedAt: Math.floor(Date.now() / 1000) });
    const { listen: listhen } = await import('listhen');
    const listener = await listhen(handler, {
      hostname: options.host,
      // With isProd, listhen adds no fallback port range; a taken port then fails loudly.
      // Port 0 needs `random` back on, or get-port-please would fall back to 3000.
      port: { port: options.port, random: options.port === 0, verbose: false },
      public: !isLoopback(options.host),
      https: false,
      showURL: false,
      qr: false,
      open: false,
      clipboard: false,
      tunnel: false,
      ws: false,
      autoClose: false,
      isProd: true,
      isTest: false,
    });
    const server = listener.server as Server;
    const port = listener.address.port;
    if (options.port !== 0 && port !== options.port) {
      await listener.close();
      throw createError('LLMB_ERR_CONFIG', `could not listen on port ${options.port} (bound ${port} instead)`, { pluginId: 'transport-openai' });
    }
    const url = `http://${urlHost(options.host)}:${port}`;
    state.url = url;
    state.port = port;
    ctx.announce(`${url}/v1`, 'OpenAI-compatible API');
    ctx.logger.info(`OpenAI-compatible API listening on ${url}/v1`, { url, host: options.host, port, auth: options.apiKeys.length > 0 });

    return async () => {
      state.url = undefined;
      state.port = undefined;
      // Ends open streams with an in-band error and stops their turns, so close() can finish.
      inflight.stopAll();
      const forced = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await listener.close();
      } finally {
        clearTimeout(forced);
      }
    };
  },
});
