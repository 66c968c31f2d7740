import { randomUUID } from 'node:crypto';
import { createError, type FinishedTurn, type TurnStatus } from '@llm-bawt/sdk';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { ToolCallRecordEntity, TurnLogEntity, type ToolCallRecordRow, type TurnLogRow } from '../entities.js';
import type { Redactor } from '../redact.js';

/** How much of a turn is logged: `metadata` (no text), `full` (messages and reply too). @public */
export type TurnLogLevel = 'metadata' | 'full';

/** A stored turn log. @public */
export type TurnLogRecord = TurnLogRow;

/** A stored tool call of a turn. @public */
export type ToolCallRecord = ToolCallRecordRow;

/** Filters and page of {@link TurnLogsRepository.list}. @public */
export interface TurnLogFilter {
  botId?: string;
  userId?: string;
  status?: TurnStatus;
  /** Inclusive lower bound of `createdAt`. */
  since?: Date;
  /** Exclusive upper bound of `createdAt`. */
  until?: Date;
  /** Page size; default 50, at most 500. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Leave out the text columns (messages, reply, reasoning, stage outputs): they come back `undefined`. */
  summary?: boolean;
}

/** One page of turn logs, newest first. @public */
export interface TurnLogPage {
  items: TurnLogRecord[];
  /** Present when more rows follow. */
  nextCursor?: string;
}

/** The `turn_logs` and `tool_call_records` tables. @public */
export interface TurnLogsRepository {
  /** Writes a finished turn (and its tool calls) at the given level; secrets are redacted. */
  record(turn: FinishedTurn, level: TurnLogLevel): Promise<TurnLogRecord>;
  list(filter?: TurnLogFilter): Promise<TurnLogPage>;
  get(id: string): Promise<(TurnLogRecord & { toolCalls: ToolCallRecord[] }) | undefined>;
  toolCalls(turnLogId: string): Promise<ToolCallRecord[]>;
}

const PREVIEW_CHARS = 2_000;
const ERROR_CHARS = 2_000;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TEXT_COLUMNS = ['requestMessages', 'responseText', 'reasoning', 'outputs'] as const;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
const plain = <T extends object>(row: T): T => ({ ...row });

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw createError('LLMB_ERR_INVALID_REQUEST', 'The cursor is not one this server returned', { param: 'cursor' });
  }
  return { createdAt, id };
}

function timingsOf(turn: FinishedTurn): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [stage, ms] of Object.entries(turn.timings)) if (typeof ms === 'number') out[stage] = Math.round(ms * 1000) / 1000;
  return out;
}

export function createTurnLogsRepository(orm: MikroORM, redact: Redactor): TurnLogsRepository {
  const em = () => orm.em.fork();

  const toolCalls = async (turnLogId: string) =>
    UUID.test(turnLogId) ? (await em().find(ToolCallRecordEntity, { turnLogId }, { orderBy: { position: 'asc' } })).map(plain) : [];

  return {
    async record(turn, level) {
      const full = level === 'full';
      const id = randomUUID();
      const base = { requestId: turn.requestId, botId: turn.bot.slug, userId: turn.request.userId };
      const log: TurnLogRow = {
        id,
        ...base,
        sessionId: turn.request.sessionId ?? null,
        model: turn.model?.alias ?? null,
        stream: turn.request.stream,
        status: turn.status,
        errorCode: turn.error?.code ?? null,
        errorMessage: turn.error ? clip(redact.text(turn.error.message), ERROR_CHARS) : null,
        finishReason: turn.finishReason ?? null,
        level,
        timings: timingsOf(turn),
        tools: turn.toolRuns.map((run) => run.name),
        promptTokens: turn.usage?.prompt_tokens ?? null,
        completionTokens: turn.usage?.completion_tokens ?? null,
        totalTokens: turn.usage?.total_tokens ?? null,
        durationMs: Math.round(turn.durationMs),
        requestMessages: full ? redact.value(turn.messages) : null,
        responseText: full ? redact.text(turn.reply.content) : null,
        reasoning: full && turn.reply.reasoning ? redact.text(turn.reply.reasoning) : null,
        outputs: full ? redact.value(turn.outputs as Record<string, unknown>) : null,
        createdAt: turn.startedAt,
      };
      const calls: ToolCallRecordRow[] = turn.toolRuns.map((run, position) => ({
        id: randomUUID(),
        turnLogId: id,
        ...base,
        position,
        callId: run.id || null,
        name: run.name,
        arguments: full && run.arguments ? redact.text(run.arguments) : null,
        resultPreview: full ? clip(redact.text(run.result), PREVIEW_CHARS) : null,
        resultChars: run.result.length,
        durationMs: Math.round(run.durationMs),
        error: run.error ? clip(redact.text(run.error), ERROR_CHARS) : null,
        createdAt: turn.startedAt,
      }));
      // Plain inserts in one transaction: two statements, the parent row first.
      await em().transactional(async (tx) => {
        await tx.insert(TurnLogEntity, log);
        if (calls.length > 0) await tx.insertMany(ToolCallRecordEntity, calls);
      });
      return log;
    },

    async list(filter = {}) {
      const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(filter.limit ?? DEFAULT_LIMIT)));
      const and: FilterQuery<TurnLogRow>[] = [];
      if (filter.botId) and.push({ botId: filter.botId });
      if (filter.userId) and.push({ userId: filter.userId });
      if (filter.status) and.push({ status: filter.status });
      if (filter.since) and.push({ createdAt: { $gte: filter.since } });
      if (filter.until) and.push({ createdAt: { $lt: filter.until } });
      if (filter.cursor) {
        const after = decodeCursor(filter.cursor);
        and.push({ $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] });
      }
      const rows = await em().find(TurnLogEntity, and.length > 0 ? { $and: and } : {}, {
        orderBy: { createdAt: 'desc', id: 'desc' },
        limit: limit + 1,
        ...(filter.summary ? { exclude: TEXT_COLUMNS } : {}),
      });
      const items = rows.slice(0, limit).map(plain);
      const last = items.at(-1);
      return rows.length > limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
    },

    async get(id) {
      if (!UUID.test(id)) return undefined;
      const row = await em().findOne(TurnLogEntity, { id });
      return row ? { ...plain(row), toolCalls: await toolCalls(id) } : undefined;
    },

    toolCalls,
  };
}
