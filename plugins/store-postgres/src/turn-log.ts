import type { FinishedTurn, TurnContext } from '@llm-bawt/sdk';
import { storeRef } from './refs.js';
import type { TurnLogLevel } from './repos/turn-logs.js';

/** Values of the `turn_log` runtime setting. @public */
export type TurnLogSetting = 'off' | TurnLogLevel;

const LEVELS = new Set<unknown>(['off', 'metadata', 'full']);

/**
 * The turn's `turn_log` setting (request, then bot, then global). Without one, bots with
 * memory log metadata and stateless bots (`requires_memory: false`) log nothing: they write
 * nothing to the database at all (DESIGN §5). @public
 */
export function turnLogSetting(ctx: TurnContext): TurnLogSetting {
  const fallback: TurnLogSetting = ctx.bot.requires_memory ? 'metadata' : 'off';
  const value = ctx.setting<unknown>('turn_log', fallback);
  if (value === true) return 'metadata';
  if (value === false) return 'off';
  if (LEVELS.has(value)) return value as TurnLogSetting;
  ctx.logger.warn(`runtime setting turn_log=${JSON.stringify(value)} is not one of off, metadata, full; using '${fallback}'`);
  return fallback;
}

const LEVEL = Symbol('store-postgres.turnLogLevel');

/** POST_PROCESS: writes the turn log (and its tool calls) when the bot's `turn_log` is on. */
export const turnLogHook = {
  when: (ctx: TurnContext) => {
    const level = turnLogSetting(ctx);
    ctx.state.set(LEVEL, level);
    return level !== 'off';
  },
  handler: async (turn: FinishedTurn, ctx: TurnContext): Promise<void> => {
    const level = (ctx.state.get(LEVEL) as TurnLogSetting | undefined) ?? turnLogSetting(ctx);
    if (level === 'off') return;
    await ctx.get(storeRef).turnLogs.record(turn, level);
  },
};
