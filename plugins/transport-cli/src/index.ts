import { askCommand } from './commands/ask.js';
import { botsCommand } from './commands/bots.js';
import { chatCommand } from './commands/chat.js';
import { historyCommand } from './commands/history.js';
import { memoryCommand } from './commands/memory.js';
import { modelsCommand } from './commands/models.js';
import { sessionsCommand } from './commands/sessions.js';
import type { CliContext } from './commands/shared.js';
import { statusCommand } from './commands/status.js';

/**
 * Every command of the terminal client, for the host's bin to mount: `chat`, `ask` and the
 * admin commands, all over the HTTP API (of a host booted in-process, or of `--service URL`).
 * @public
 */
export function createCliCommands(ctx: CliContext) {
  return {
    chat: chatCommand(ctx),
    ask: askCommand(ctx),
    bots: botsCommand(ctx),
    models: modelsCommand(ctx),
    memory: memoryCommand(ctx),
    history: historyCommand(ctx),
    sessions: sessionsCommand(ctx),
    status: statusCommand(ctx),
  };
}

export { ApiClient } from './api.js';
export { connect, connectRemote, normaliseServiceUrl, type Connection, type ConnectFlags, type InProcessConnector } from './connection.js';
export { CliError, EXIT, isCliError } from './errors.js';
export { createTerminal, processTerminal, type Terminal } from './terminal.js';
export type { AnyCommand, CliContext } from './commands/shared.js';
