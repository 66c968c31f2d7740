import { randomUUID } from 'node:crypto';
import { createError, type FinishedTurn, type TurnContext, type TurnRequest } from '@llm-bawt/sdk';
import { isUuid } from '@llm-bawt/plugin-store-postgres';
import { turnRows } from './conversation.js';
import type { HistoryService } from './types.js';

/** Metadata fields carrying the ids of the turn's user message and reply. @public */
export const MESSAGE_ID_FIELDS = ['user_message_id', 'assistant_message_id'] as const;

/**
 * PRE_PROCESS: gives the turn's user message and reply their ids up front, in
 * `request.metadata`, so other layers (semantic memory's source ids, a client's live bubble)
 * can name them before they are stored. Ids the client sent are kept if they are UUIDs.
 */
export function mintMessageIds(request: TurnRequest): TurnRequest {
  const metadata = { ...request.metadata };
  for (const field of MESSAGE_ID_FIELDS) {
    const sent = metadata[field];
    if (sent === undefined || sent === null) metadata[field] = randomUUID();
    else if (!isUuid(sent)) throw createError('LLMB_ERR_INVALID_REQUEST', `Invalid '${field}': must be a UUID.`, { param: field });
  }
  return { ...request, metadata };
}

/**
 * POST_PROCESS: stores the turn (new user messages, tool results, reply) when it ended
 * well. Turns answered in PRE_PROCESS (slash commands such as `/new`) never reached the
 * model and are not conversation, so they are not stored.
 */
export async function persistTurn(turn: FinishedTurn, ctx: TurnContext, service: HistoryService): Promise<void> {
  if (turn.status !== 'ok' || turn.timings.EXECUTE === undefined) return;
  const rows = turnRows(turn, new Date());
  if (rows.length === 0) return;
  const stored = await service.add({ botId: turn.bot.slug, userId: turn.request.userId }, rows);
  ctx.logger.debug(`stored ${stored.length} message(s)`, { sessionId: turn.request.sessionId });
}
