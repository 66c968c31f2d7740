import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createError, isLlmbError, type ErrorCode, type HostApi, type Logger } from '@llm-bawt/sdk';
import { isUuid, type Database } from '@llm-bawt/plugin-store-postgres';
import { toDelivery } from './rows.js';
import { TERMINAL, type Delivery, type DeliveryStatus, type SendInput } from './types.js';

type Row = Record<string, unknown>;

/** Failures a retry cannot fix: the delivery fails at once. */
const FINAL_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'LLMB_ERR_UNKNOWN_BOT',
  'LLMB_ERR_UNKNOWN_MODEL',
  'LLMB_ERR_INVALID_REQUEST',
  'LLMB_ERR_FORBIDDEN',
  'LLMB_ERR_NOT_FOUND',
  'LLMB_ERR_PROVIDER_NOT_CONFIGURED',
]);

export interface DeliveryOptions {
  db: Database;
  host: Pick<HostApi, 'runTurn' | 'bots'>;
  logger: Logger;
  /** How often rows left queued (retries, other hosts, a restart) are picked up; 0: never. */
  sweepMs: number;
  /** How long a claim holds before another host may take the delivery over. */
  leaseMs: number;
  /** First retry delay; doubles per attempt, at most a minute. */
  retryBaseMs: number;
}

export interface DeliveryFilter {
  direction?: 'sent' | 'received' | 'all' | undefined;
  status?: DeliveryStatus | undefined;
  otherBot?: string | undefined;
  limit?: number | undefined;
}

/** Who is asking: a bot, for one user. */
export interface Party {
  botId: string;
  userId: string;
}

const notFound = (id: string) => createError('LLMB_ERR_NOT_FOUND', `no delivery '${id}' sent or received by this bot for this user`, { param: 'delivery_id' });

/** The text the target bot receives as its user message. */
export function framed(delivery: Delivery, senderName: string): string {
  const kind = delivery.message_kind === 'message' ? '' : ` (${delivery.message_kind})`;
  return `[Message from ${senderName} (bot '${delivery.sender_bot_id}')${kind}]\n${delivery.message}`;
}

/**
 * Durable bot-to-bot delivery: a row per message in `bot_messages`, delivered through the
 * target bot's own pipeline (`host.runTurn`) as a user message from the sender. Deliveries
 * to one target and user run one at a time, in order. A delivery is claimed with a lease
 * (compare-and-set on the row), so with several hosts on one database each runs once; a
 * host that dies mid-delivery leaves a lease that expires and another host's sweep retries.
 */
export function createDeliveryService(options: DeliveryOptions) {
  const { db, host, logger } = options;
  const owner = randomUUID();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const running = new Map<string, AbortController>();
  const lanes = new Map<string, Promise<void>>();
  const queued = new Set<string>();
  const work = new Set<Promise<void>>();
  let stopped = false;
  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;

  const read = async (id: string): Promise<Delivery | undefined> => {
    const row = await db.sql().one<Row>('SELECT * FROM bot_messages WHERE id = ?', [id]);
    return row ? toDelivery(row) : undefined;
  };

  const finish = async (id: string, sets: string, params: unknown[]): Promise<Delivery | undefined> => {
    const row = await db.sql().one<Row>(`UPDATE bot_messages SET ${sets}, lease_expires_at = NULL, updated_at = now() WHERE id = ? AND status = 'dispatching' AND claim_owner = ? RETURNING *`, [
      ...params,
      id,
      owner,
    ]);
    return row ? toDelivery(row) : undefined;
  };

  async function deliver(id: string): Promise<void> {
    const claimed = await db.sql().one<Row>(
      `UPDATE bot_messages SET status = 'dispatching', attempt_count = attempt_count + 1, claim_owner = ?,
         lease_expires_at = now() + (? * interval '1 millisecond'), updated_at = now()
       WHERE id = ? AND ((status = 'queued' AND available_at <= now()) OR (status = 'dispatching' AND lease_expires_at < now()))
       RETURNING *`,
      [owner, options.leaseMs, id],
    );
    if (!claimed) return;
    const delivery = toDelivery(claimed);
    const params = (typeof claimed.params === 'string' ? JSON.parse(claimed.params) : (claimed.params ?? {})) as Record<string, number>;
    events.emit(id);
    const controller = new AbortController();
    running.set(id, controller);
    const renew = setInterval(() => {
      void db
        .sql()
        .run("UPDATE bot_messages SET lease_expires_at = now() + (? * interval '1 millisecond') WHERE id = ? AND claim_owner = ? AND status = 'dispatching'", [options.leaseMs, id, owner])
        .catch((error: unknown) => logger.warn(`renewing the lease of delivery ${id} failed: ${(error as Error).message}`));
    }, Math.max(1_000, Math.floor(options.leaseMs / 5)));
    renew.unref();
    try {
      const target = host.bots.get(delivery.target_bot_id);
      if (!target) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${delivery.target_bot_id}' does not exist`);
      const senderName = host.bots.get(delivery.sender_bot_id)?.name ?? delivery.sender_bot_id;
      const stream = await host.runTurn(
        {
          botId: target.slug,
          userId: delivery.user_id,
          messages: [{ role: 'user', content: framed(delivery, senderName) }],
          stream: false,
          params: { ...(params.max_tokens ? { max_tokens: params.max_tokens } : {}), ...(params.temperature !== undefined ? { temperature: params.temperature } : {}) },
          metadata: { bot_message_id: id, sender_bot_id: delivery.sender_bot_id, message_kind: delivery.message_kind },
        },
        { signal: controller.signal },
      );
      let streamed = '';
      for await (const event of stream.events) if (event.type === 'text') streamed += event.text;
      const turn = await stream.done;
      if (turn.status !== 'ok') throw createError(turn.error?.code ?? 'LLMB_ERR_INTERNAL', turn.error?.message ?? `the target's turn ended with status ${turn.status}`);
      const reply = turn.reply.content || streamed;
      await finish(id, "status = 'delivered', reply = ?, response_model = ?, response_chars = ?, request_id = ?, last_error = NULL, delivered_at = now()", [
        reply,
        turn.model?.alias ?? null,
        reply.length,
        turn.requestId,
      ]);
    } catch (error) {
      const reason = controller.signal.reason as unknown;
      if (reason === 'cancel') return;
      if (reason === 'shutdown') {
        // Not the delivery's fault: hand it back untouched for the next host to run.
        await finish(id, "status = 'queued', attempt_count = greatest(attempt_count - 1, 0), available_at = now()", []);
        return;
      }
      const code = isLlmbError(error) ? error.code : undefined;
      const message = `${code ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
      const retry = !(code && FINAL_ERRORS.has(code)) && delivery.attempt_count < delivery.max_attempts;
      const delayMs = Math.min(60_000, options.retryBaseMs * 2 ** (delivery.attempt_count - 1));
      const after = await finish(
        id,
        retry ? "status = 'queued', last_error = ?, available_at = now() + (? * interval '1 millisecond')" : "status = 'failed', last_error = ?",
        retry ? [message, delayMs] : [message],
      );
      logger.warn(`delivery ${id} from '${delivery.sender_bot_id}' to '${delivery.target_bot_id}' ${retry ? `failed (attempt ${delivery.attempt_count}; retrying)` : 'failed'}: ${message}`);
      if (after?.status === 'queued' && !stopped) setTimeout(() => kick(id), delayMs + 10).unref();
    } finally {
      clearInterval(renew);
      running.delete(id);
      events.emit(id);
    }
  }

  async function laneOf(id: string): Promise<string> {
    const row = await db.sql().one<Row>('SELECT target_bot_id, user_id FROM bot_messages WHERE id = ?', [id]);
    return row ? `${String(row.target_bot_id)}\u0000${String(row.user_id)}` : id;
  }

  /** Queues a delivery on its target's lane: one at a time per target and user, in order. */
  function kick(id: string, lane?: string): void {
    if (stopped || queued.has(id)) return;
    queued.add(id);
    const job = (async () => {
      const key = lane ?? (await laneOf(id));
      const previous = lanes.get(key) ?? Promise.resolve();
      const current = previous.then(async () => {
        queued.delete(id);
        if (!stopped) await deliver(id);
      });
      const settled = current.catch((error: unknown) => logger.warn(`delivery ${id} could not run: ${(error as Error).message}`));
      lanes.set(key, settled);
      await settled;
      if (lanes.get(key) === settled) lanes.delete(key);
    })().finally(() => queued.delete(id));
    work.add(job);
    void job.finally(() => work.delete(job));
  }

  async function sweep(): Promise<void> {
    const rows = await db
      .sql()
      .all<Row>(
        "SELECT id, target_bot_id, user_id FROM bot_messages WHERE (status = 'queued' AND available_at <= now()) OR (status = 'dispatching' AND lease_expires_at < now()) ORDER BY ordinal LIMIT 100",
      );
    for (const row of rows) kick(String(row.id), `${String(row.target_bot_id)}\u0000${String(row.user_id)}`);
  }

  /** One sweep at a time; `stop` waits for it, so shutdown never pulls the database from under it. */
  function startSweep(): void {
    if (stopped || sweeping) return;
    sweeping = sweep()
      .catch((error: unknown) => {
        const message = `delivery sweep failed: ${(error as Error).message}`;
        // Cut short by shutdown, a sweep has nothing left to do: not a failure worth a warning.
        if (stopped) logger.debug(message);
        else logger.warn(message);
      })
      .finally(() => {
        sweeping = undefined;
      });
  }

  const scoped = async (party: Party, id: string): Promise<Delivery> => {
    if (!isUuid(id)) throw notFound(id);
    const delivery = await read(id);
    if (!delivery || delivery.user_id !== party.userId || (delivery.sender_bot_id !== party.botId && delivery.target_bot_id !== party.botId)) throw notFound(id);
    return delivery;
  };

  return {
    /** Stores a delivery and starts it; a repeated idempotency key returns the first one instead. */
    async send(party: Party, input: SendInput): Promise<{ delivery: Delivery; deduplicated: boolean }> {
      const params = { ...(input.maxTokens ? { max_tokens: input.maxTokens } : {}), ...(input.temperature !== undefined ? { temperature: input.temperature } : {}) };
      const row = await db.sql().one<Row>(
        `INSERT INTO bot_messages (id, user_id, sender_bot_id, target_bot_id, message, message_kind, metadata, project_id, task_id, idempotency_key, max_attempts, params)
         VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb)
         ON CONFLICT (sender_bot_id, target_bot_id, user_id, idempotency_key) DO NOTHING RETURNING *`,
        [
          randomUUID(),
          party.userId,
          party.botId,
          input.target,
          input.message,
          input.kind ?? 'message',
          JSON.stringify(input.metadata ?? {}),
          input.projectId ?? null,
          input.taskId ?? null,
          input.idempotencyKey ?? null,
          input.maxAttempts ?? 3,
          JSON.stringify(params),
        ],
      );
      if (row) {
        const delivery = toDelivery(row);
        kick(delivery.id, `${delivery.target_bot_id}\u0000${delivery.user_id}`);
        return { delivery, deduplicated: false };
      }
      const existing = await db
        .sql()
        .one<Row>('SELECT * FROM bot_messages WHERE sender_bot_id = ? AND target_bot_id = ? AND user_id = ? AND idempotency_key = ?', [party.botId, input.target, party.userId, input.idempotencyKey]);
      if (!existing) throw createError('LLMB_ERR_CONFLICT', 'the delivery changed meanwhile; send it again', { param: 'idempotency_key' });
      return { delivery: toDelivery(existing), deduplicated: true };
    },

    /** The delivery once it is delivered, failed or cancelled, or as it stands when time runs out. */
    async wait(id: string, timeoutMs: number, signal?: AbortSignal): Promise<Delivery> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const delivery = await read(id);
        if (!delivery) throw notFound(id);
        if (TERMINAL.has(delivery.status) || Date.now() >= deadline || signal?.aborted) return delivery;
        // Woken by this host's progress; polled for deliveries another host runs.
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            events.off(id, done);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, Math.min(1_000, Math.max(0, deadline - Date.now())));
          events.on(id, done);
          signal?.addEventListener('abort', done, { once: true });
        });
      }
    },

    get: scoped,

    async list(party: Party, filter: DeliveryFilter = {}): Promise<Delivery[]> {
      const where = ['user_id = ?'];
      const params: unknown[] = [party.userId];
      const direction = filter.direction ?? 'all';
      if (direction === 'sent') where.push('sender_bot_id = ?');
      else if (direction === 'received') where.push('target_bot_id = ?');
      else where.push('(sender_bot_id = ? OR target_bot_id = ?)');
      params.push(party.botId);
      if (direction === 'all') params.push(party.botId);
      if (filter.status) {
        where.push('status = ?');
        params.push(filter.status);
      }
      if (filter.otherBot) {
        where.push('(sender_bot_id = ? OR target_bot_id = ?)');
        params.push(filter.otherBot, filter.otherBot);
      }
      params.push(filter.limit ?? 20);
      const rows = await db.sql().all<Row>(`SELECT * FROM bot_messages WHERE ${where.join(' AND ')} ORDER BY ordinal DESC LIMIT ?`, params);
      return rows.map(toDelivery);
    },

    /** Cancels a delivery that has not been delivered yet; a running target turn is aborted. */
    async cancel(party: Party, id: string): Promise<Delivery> {
      const delivery = await scoped(party, id);
      const row = await db
        .sql()
        .one<Row>("UPDATE bot_messages SET status = 'cancelled', cancelled_at = now(), lease_expires_at = NULL, updated_at = now() WHERE id = ? AND status IN ('queued', 'dispatching') RETURNING *", [
          delivery.id,
        ]);
      if (!row) throw createError('LLMB_ERR_CONFLICT', `delivery '${delivery.id}' is already ${delivery.status}`, { param: 'delivery_id' });
      running.get(delivery.id)?.abort('cancel');
      events.emit(delivery.id);
      return toDelivery(row);
    },

    /** Starts the sweep (retries, restarts, other hosts' expired leases). */
    start(): void {
      if (stopped) return;
      startSweep();
      if (options.sweepMs > 0) {
        sweeper = setInterval(startSweep, options.sweepMs);
        sweeper.unref();
      }
    },

    /** Stops sweeping (waiting for a sweep under way); deliveries still running are handed back to the queue. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(sweeper);
      for (const controller of running.values()) controller.abort('shutdown');
      await sweeping;
      await Promise.allSettled(work);
    },
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
