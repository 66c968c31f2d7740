import * as v from 'valibot';
import { coreRefs, createError, type ToolContext } from '@llm-bawt/sdk';
import { storeAdminRef, storeRef } from '@llm-bawt/plugin-store-postgres';
import { historyRef, semanticRef, type StoredMessageView } from '../services.js';
import { deliveriesOf, sendAndMaybeWait } from './bots.js';
import { DESTROY, describe, int, mcpTool, READ, scopeOf, text, WRITE } from './define.js';
import { messageJson } from './messages.js';
import { maybe } from './optional.js';

/** Longest transcript a recap reads (the newest part is kept). */
const RECAP_MAX_CHARS = 600_000;

const RECAP_INSTRUCTIONS =
  'You are writing a handoff briefing for yourself, to read when you start again with no memory of this conversation. ' +
  'From the transcript, write in the first person: who the user is and what they care about, what we worked on, decisions made, ' +
  'open threads and promises, and what to do next. Be concrete (names, numbers, file names); skip small talk. At most 400 words.';

const bubble = (m: StoredMessageView) => `[${m.createdAt.toISOString().slice(0, 16).replace('T', ' ')}] ${m.role}: ${m.content}`;

async function recent(ctx: ToolContext, limit: number, hours?: number): Promise<StoredMessageView[]> {
  const messages = await ctx.get(historyRef).recent(scopeOf(ctx), { limit });
  if (hours === undefined) return messages;
  const cutoff = Date.now() - hours * 3_600_000;
  return messages.filter((m) => m.createdAt.getTime() >= cutoff);
}

export const selfTools = [
  mcpTool(
    'self',
    [historyRef],
    {
      name: 'self_recap',
      description:
        "Summarizes the bot's recent conversation with the user into a cold-start handoff briefing (with the bot's background model). store: true also keeps it as a memory tagged 'recap'.",
      input: v.object({
        hours: v.optional(describe(int(1, 24 * 365), 'How far back to read (default 24; days adds to it)')),
        days: v.optional(int(1, 365)),
        max_messages: v.optional(int(1, 2_000), 500),
        model: v.optional(describe(text(100), 'A model alias (default: the bot\'s background model)')),
        store: v.optional(v.boolean(), false),
      }),
      annotations: WRITE,
      async run(input, ctx) {
        const hours = (input.hours ?? (input.days ? 0 : 24)) + (input.days ?? 0) * 24;
        const messages = await recent(ctx, input.max_messages, hours);
        if (messages.length === 0) return { recap: null, messages_considered: 0, note: `no messages in the last ${hours} hours` };
        let transcript = messages.map(bubble).join('\n');
        if (transcript.length > RECAP_MAX_CHARS) transcript = transcript.slice(-RECAP_MAX_CHARS);
        const completion = await ctx.get(coreRefs.llm).complete({
          bot: ctx.bot,
          ...(input.model ? { model: input.model } : {}),
          messages: [
            { role: 'system', content: RECAP_INSTRUCTIONS },
            { role: 'user', content: `Transcript of the last ${hours} hours with user '${ctx.userId}':\n\n${transcript}` },
          ],
          signal: ctx.signal,
        });
        const recap = completion.text.trim();
        let stored: string | undefined;
        if (input.store) {
          const semantic = maybe(ctx, semanticRef);
          if (!semantic) throw createError('LLMB_ERR_INVALID_REQUEST', 'store needs memory-semantic, which is not loaded; the recap was not stored', { param: 'store' });
          stored = (await semantic.store(scopeOf(ctx), { content: `Recap (${new Date().toISOString().slice(0, 10)}): ${recap}`, tags: ['recap'], importance: 0.6 }, { signal: ctx.signal })).memory.id;
        }
        return { recap, model: completion.model, messages_considered: messages.length, hours, ...(stored ? { stored_memory_id: stored } : {}) };
      },
    },
    { memory: true },
  ),
  mcpTool(
    'self',
    [historyRef],
    {
      name: 'self_tail',
      description: "The bot's last `count` conversation bubbles with the user, oldest first, to load back into context.",
      input: v.object({ count: v.optional(int(1, 200), 10) }),
      annotations: READ,
      async run(input, ctx) {
        const messages = await recent(ctx, input.count);
        return { count: messages.length, transcript: messages.map(bubble).join('\n'), messages: messages.map(messageJson) };
      },
    },
    { memory: true },
  ),
  mcpTool(
    'self',
    [historyRef, storeRef],
    {
      name: 'self_fwd',
      description: "Forwards the bot's last `count` bubbles (and a note) to another bot as a bot-to-bot message.",
      input: v.object({
        target_bot_id: text(100),
        count: v.optional(int(1, 100), 5),
        note: v.optional(text(5_000)),
        wait_for_reply: v.optional(v.boolean(), false),
        timeout_seconds: v.optional(int(1, 600)),
        idempotency_key: v.optional(text(200)),
      }),
      annotations: WRITE,
      async run(input, ctx) {
        const messages = await recent(ctx, input.count);
        if (messages.length === 0) throw createError('LLMB_ERR_INVALID_REQUEST', 'there is nothing to forward yet', { param: 'count' });
        const body = `${input.note ? `${input.note}\n\n` : ''}Forwarded conversation (${messages.length} messages):\n${messages.map(bubble).join('\n')}`;
        return sendAndMaybeWait(ctx, deliveriesOf(ctx), {
          target: input.target_bot_id,
          message: body,
          kind: 'forward',
          wait: input.wait_for_reply,
          timeoutSeconds: input.timeout_seconds,
          idempotencyKey: input.idempotency_key,
        });
      },
    },
    { memory: true },
  ),
  mcpTool('self', [], {
    name: 'self_system_prompt',
    description: "Views (action get) or replaces (action set, new_prompt) the bot's own persisted system prompt. A change applies from the next turn.",
    input: v.pipe(
      v.object({ action: v.optional(v.picklist(['get', 'set']), 'get'), new_prompt: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(100_000))) }),
      v.forward(
        v.check((input) => input.action !== 'set' || input.new_prompt !== undefined, 'set needs new_prompt'),
        ['new_prompt'],
      ),
    ),
    annotations: DESTROY,
    async run(input, ctx) {
      if (input.action === 'get') return { bot_id: ctx.bot.slug, system_prompt: ctx.bot.system_prompt };
      const prompt = input.new_prompt as string;
      const admin = maybe(ctx, storeAdminRef);
      if (admin) await admin.bots.patch(ctx.bot.slug, { system_prompt: prompt });
      else await ctx.get(coreRefs.bots).upsert({ ...ctx.bot, system_prompt: prompt });
      return { bot_id: ctx.bot.slug, system_prompt: prompt, previous: ctx.bot.system_prompt, persisted: admin !== undefined };
    },
  }),
];
