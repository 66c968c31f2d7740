import type { HostApi, Logger } from '@llm-bawt/sdk';
import type { H3Event } from 'h3';
import { readJson } from '../body.js';
import { completeTurn } from './complete.js';
import type { InflightRequests } from './inflight.js';
import { streamTurn } from './stream.js';
import { parseChatRequest, toChatCall } from './to-turn.js';

export interface ChatDeps {
  host: HostApi;
  logger: Logger;
  inflight: InflightRequests;
  bodyLimitBytes: number;
  keepaliveMs: number;
}

/** `POST /v1/chat/completions`. Errors thrown here reach the app's error handler. */
export async function handleChatCompletions(event: H3Event, deps: ChatDeps): Promise<void> {
  const body = await readJson(event.node.req, deps.bodyLimitBytes);
  const call = toChatCall(parseChatRequest(body), deps.host.models, deps.host.bots);
  const { request, release } = deps.inflight.open(event.node.res);
  try {
    const turn = await deps.host.runTurn(call.input, { signal: request.controller.signal });
    const identity = {
      id: `chatcmpl-${turn.requestId}`,
      created: Math.floor(Date.now() / 1000),
      model: call.requestedModel ?? turn.model?.alias ?? turn.bot.slug,
    };
    if (call.stream) {
      await streamTurn(event, turn, request, { ...identity, includeUsage: call.includeUsage, keepaliveMs: deps.keepaliveMs, logger: deps.logger });
    } else {
      await completeTurn(event, turn, request, identity);
    }
  } finally {
    release();
  }
}
