import { finish, type Bail, type ChatMessage, type FinishedTurn, type TurnContext, type TurnRequest } from '@llm-bawt/sdk';
import { autoTitle } from './title.js';
import type { Rotation, Session, SessionsService } from './types.js';

const NEW_COMMAND = /^\/new(?:\s+([\s\S]*))?$/i;
const SESSION = Symbol('memory-sessions.session');

function textOf(message: ChatMessage | undefined): string {
  if (!message || message.content === null) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
}

/** `/new [title]` as the last user message: its title (maybe empty), else undefined. */
export function newCommand(request: Pick<TurnRequest, 'messages'>): { title?: string } | undefined {
  const last = request.messages.at(-1);
  if (last?.role !== 'user') return undefined;
  const match = NEW_COMMAND.exec(textOf(last).trim());
  if (!match) return undefined;
  const title = match[1]?.replace(/\s+/g, ' ').trim();
  return title ? { title } : {};
}

function newReply(rotation: Rotation): string {
  const title = rotation.active.title ? `: "${rotation.active.title}"` : '';
  const previous = rotation.archived
    ? rotation.summaryIds.length > 0
      ? ' The previous one is archived, and I kept a summary of it.'
      : ' The previous one is archived.'
    : '';
  return `Started a new conversation${title}.${previous}`;
}

/**
 * PRE_PROCESS (first bucket): every turn of a bot with memory runs in a session. An
 * explicit `session_id` must be this bot and user's (404 otherwise, 410 when deleted);
 * without one the active session is used, created on first use. `/new` rotates: the active
 * session is summarized (when memory-summaries is loaded) and archived, a successor opens,
 * and the turn is answered here, without a model call.
 */
export async function resolveSession(request: TurnRequest, ctx: TurnContext, service: SessionsService): Promise<TurnRequest | Bail | undefined> {
  const command = newCommand(request);
  if (!ctx.bot.requires_memory) {
    return command ? finish(`${ctx.bot.name} keeps no conversation history, so every message already starts a new conversation.`) : undefined;
  }
  const scope = { botId: ctx.bot.slug, userId: request.userId };
  if (command) {
    const rotation = await service.rotate(scope, { ...(command.title ? { title: command.title } : {}), signal: ctx.signal });
    ctx.note('session', { command: '/new', archived: rotation.archived?.id ?? null, active: rotation.active.id, summaries: rotation.summaryIds });
    return finish(newReply(rotation));
  }
  const session = request.sessionId !== undefined ? await service.resolve(scope, request.sessionId) : await service.getOrCreateActive(scope);
  ctx.state.set(SESSION, session);
  ctx.note('session', { id: session.id, status: session.status, explicit: request.sessionId !== undefined });
  return session.id === request.sessionId ? undefined : { ...request, sessionId: session.id };
}

/** The first new user message of a turn: the first user message after the last reply. */
function firstNewUserText(messages: readonly ChatMessage[]): string {
  const lastAnswer = messages.findLastIndex((m) => m.role === 'assistant' && !(m.tool_calls && m.tool_calls.length > 0));
  return textOf(messages.slice(lastAnswer + 1).find((m) => m.role === 'user'));
}

/** POST_PROCESS: titles an untitled session from its first user message (no model call). */
export async function titleSession(turn: FinishedTurn, ctx: TurnContext, service: SessionsService): Promise<void> {
  const sessionId = turn.request.sessionId;
  if (turn.status !== 'ok' || sessionId === undefined || turn.timings.EXECUTE === undefined) return;
  const session = ctx.state.get(SESSION) as Session | undefined;
  if (session?.id !== sessionId || session.title) return;
  const title = autoTitle(firstNewUserText(turn.request.messages));
  if (title) await service.setTitle({ botId: turn.bot.slug, userId: turn.request.userId }, sessionId, title, 'auto');
}
