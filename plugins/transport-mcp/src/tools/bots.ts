import * as v from 'valibot';
import { coreRefs, createError, type ToolContext } from '@llm-bawt/sdk';
import type { DeliveryService } from '../bots/deliveries.js';
import { TERMINAL, type Delivery, type SendInput } from '../bots/types.js';
import { DELIVERY_STATUSES } from '../db/migrations.js';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { transportMcpRef } from '../refs.js';
import { DESTROY, describe, int, mcpTool, READ, scopeOf, text, uuid, WRITE } from './define.js';
import { maybe } from './optional.js';

const deliveryId = describe(uuid, 'A delivery id (from bots_send_message)');

/** Sends and, when asked, waits for the target's reply. */
export async function sendAndMaybeWait(
  ctx: ToolContext,
  deliveries: DeliveryService,
  input: SendInput & { wait: boolean; timeoutSeconds?: number | undefined },
): Promise<Record<string, unknown>> {
  const bots = ctx.get(coreRefs.bots);
  if (!bots.get(input.target)) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${input.target}' does not exist`, { param: 'target_bot_id' });
  if (input.target === ctx.bot.slug) throw createError('LLMB_ERR_INVALID_REQUEST', 'a bot cannot send a message to itself', { param: 'target_bot_id' });
  const { delivery, deduplicated } = await deliveries.send(scopeOf(ctx), input);
  if (!input.wait) return { delivery_id: delivery.id, status: delivery.status, deduplicated, delivery };
  const seconds = input.timeoutSeconds ?? maybe(ctx, transportMcpRef)?.config.delivery.waitSeconds ?? 55;
  const settled = await deliveries.wait(delivery.id, seconds * 1000, ctx.signal);
  return {
    delivery_id: settled.id,
    status: settled.status,
    deduplicated,
    ...(settled.status === 'delivered' ? { reply: settled.reply } : {}),
    ...(TERMINAL.has(settled.status) ? {} : { timed_out: true, note: 'still running: read the reply later with bots_delivery_get' }),
    delivery: settled,
  };
}

/** The delivery service; the tools using it are only served with store-postgres loaded. */
export function deliveriesOf(ctx: ToolContext): DeliveryService {
  const value = ctx.get(transportMcpRef).deliveries;
  if (!value) throw createError('LLMB_ERR_NOT_READY', 'bot-to-bot delivery needs store-postgres, which is not loaded');
  return value;
}

const summary = (d: Delivery) => ({ ...d, reply: d.reply && d.reply.length > 2_000 ? `${d.reply.slice(0, 2_000)}…` : d.reply });

export const botTools = [
  mcpTool('bots', [], {
    name: 'bots_list_available',
    description: 'The bots on this host that can receive messages, with what they are.',
    input: v.object({}),
    annotations: READ,
    run(_input, ctx) {
      const bots = ctx.get(coreRefs.bots);
      const fallback = bots.defaultSlug();
      return {
        bots: bots.list().map((bot) => ({
          id: bot.slug,
          name: bot.name,
          description: bot.description ?? '',
          requires_memory: bot.requires_memory,
          uses_tools: bot.uses_tools,
          agent_backend: bot.agent_backend ?? null,
          default_model: bot.default_model ?? null,
          is_default: bot.slug === fallback,
          is_you: bot.slug === ctx.bot.slug,
        })),
      };
    },
  }),
  mcpTool('bots', [storeRef], {
    name: 'bots_send_message',
    description:
      "Sends a message from bot_id (the sender) to another bot, delivered through the target bot's own pipeline as a user message for the same user. " +
      'By default waits for the reply (timeout_seconds); fire_and_forget returns the delivery id at once. An idempotency_key makes retries safe: the same key returns the first delivery.',
    input: v.object({
      target_bot_id: describe(text(100), 'The bot to message'),
      message: describe(text(50_000), 'What to say'),
      wait_for_reply: v.optional(v.boolean(), true),
      fire_and_forget: v.optional(describe(v.boolean(), 'Same as wait_for_reply: false'), false),
      timeout_seconds: v.optional(describe(int(1, 600), 'How long to wait for the reply (default 55; MCP clients often give up after 60)')),
      idempotency_key: v.optional(text(200)),
      message_kind: v.optional(text(50)),
      project_id: v.optional(uuid),
      task_id: v.optional(uuid),
      metadata: v.optional(v.record(v.string(), v.unknown())),
      max_tokens: v.optional(int(1, 200_000)),
      temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2))),
      max_attempts: v.optional(int(1, 20)),
    }),
    annotations: WRITE,
    run(input, ctx) {
      return sendAndMaybeWait(ctx, deliveriesOf(ctx), {
        target: input.target_bot_id,
        message: input.message,
        wait: input.wait_for_reply && !input.fire_and_forget,
        timeoutSeconds: input.timeout_seconds,
        kind: input.message_kind,
        idempotencyKey: input.idempotency_key,
        projectId: input.project_id,
        taskId: input.task_id,
        metadata: input.metadata,
        maxTokens: input.max_tokens,
        temperature: input.temperature,
        maxAttempts: input.max_attempts,
      });
    },
  }),
  mcpTool('bots', [storeRef], {
    name: 'bots_delivery_get',
    description: 'One delivery this bot sent or received, with its status and the reply once delivered; wait_seconds waits for it to settle.',
    input: v.object({ delivery_id: deliveryId, wait_seconds: v.optional(int(0, 600), 0) }),
    annotations: READ,
    async run(input, ctx) {
      const deliveries = deliveriesOf(ctx);
      const delivery = await deliveries.get(scopeOf(ctx), input.delivery_id);
      return input.wait_seconds > 0 && !TERMINAL.has(delivery.status) ? deliveries.wait(delivery.id, input.wait_seconds * 1000, ctx.signal) : delivery;
    },
  }),
  mcpTool('bots', [storeRef], {
    name: 'bots_deliveries_list',
    description: 'Deliveries this bot sent or received for the user, newest first.',
    input: v.object({
      direction: v.optional(v.picklist(['sent', 'received', 'all']), 'all'),
      status: v.optional(v.picklist(DELIVERY_STATUSES)),
      other_bot_id: v.optional(text(100)),
      limit: v.optional(int(1, 200), 20),
    }),
    annotations: READ,
    async run(input, ctx) {
      const list = await deliveriesOf(ctx).list(scopeOf(ctx), { direction: input.direction, status: input.status, otherBot: input.other_bot_id, limit: input.limit });
      return { count: list.length, deliveries: list.map(summary) };
    },
  }),
  mcpTool('bots', [storeRef], {
    name: 'bots_delivery_cancel',
    description: 'Cancels a delivery that is not delivered yet; a target turn already running is aborted.',
    input: v.object({ delivery_id: deliveryId }),
    annotations: DESTROY,
    run: (input, ctx) => deliveriesOf(ctx).cancel(scopeOf(ctx), input.delivery_id),
  }),
];

