import { createInterface, type Interface } from 'node:readline';
import { defineCommand } from 'citty';
import type { ApiClient } from '../api.js';
import { CliError, EXIT, isCliError } from '../errors.js';
import { historyPath, loadHistory, saveHistory } from '../history-file.js';
import { createSpinner } from '../render/progress.js';
import type { Terminal } from '../terminal.js';
import { streamTurn } from '../turn.js';
import { describeTool, turnArgs } from './ask.js';
import { connectArgs, report, withApi, type AnyCommand, type CliContext } from './shared.js';

const HELP = [
  '/new [TITLE]   start a new conversation (the current one is archived with a summary)',
  '/bot [SLUG]    switch bots, or list them',
  '/model [ALIAS] switch models, or list them ("/model default" goes back to the bot\'s own)',
  '/help          this list',
  '/exit          leave (or Ctrl+D)',
  '"""            on a line of its own starts and ends a multi-line message; a line ending in \\ continues on the next',
];

interface ChatState {
  bot: string | undefined;
  model: string | undefined;
  user: string | undefined;
}

/** What a line of input means: a message to send, a local command, or more input to wait for. */
export type Input = { kind: 'message'; text: string } | { kind: 'command'; name: string; arg: string } | { kind: 'more' } | { kind: 'exit' };

/** Collects lines into messages: `"""` blocks and trailing-backslash continuations. */
export class InputCollector {
  private lines: string[] = [];
  private block = false;

  get pending(): boolean {
    return this.block || this.lines.length > 0;
  }

  push(line: string): Input {
    if (this.block) {
      if (line.trim() === '"""') {
        this.block = false;
        return this.flush();
      }
      this.lines.push(line);
      return { kind: 'more' };
    }
    if (line.trim() === '"""') {
      this.block = true;
      return { kind: 'more' };
    }
    if (line.endsWith('\\')) {
      this.lines.push(line.slice(0, -1));
      return { kind: 'more' };
    }
    this.lines.push(line);
    const text = this.lines.join('\n');
    if (this.lines.length === 1) {
      const trimmed = text.trim();
      if (trimmed === 'exit' || trimmed === 'quit' || trimmed === '/exit' || trimmed === '/quit') {
        this.lines = [];
        return { kind: 'exit' };
      }
      const command = /^\/(bot|model|help)(?:\s+(.*))?$/.exec(trimmed);
      if (command) {
        this.lines = [];
        return { kind: 'command', name: command[1] as string, arg: (command[2] ?? '').trim() };
      }
    }
    return this.flush();
  }

  reset(): void {
    this.lines = [];
    this.block = false;
  }

  private flush(): Input {
    const text = this.lines.join('\n');
    this.lines = [];
    return text.trim() ? { kind: 'message', text } : { kind: 'more' };
  }
}

async function listBots(api: ApiClient, state: ChatState, terminal: Terminal): Promise<void> {
  const bots = await api.get<{ data: Array<{ slug: string; name?: string; description?: string | null }> }>('/v1/bots', { limit: 500 });
  for (const bot of bots.data) {
    const mark = bot.slug === state.bot ? terminal.style.green('*') : ' ';
    terminal.out(`${mark} ${bot.slug.padEnd(16)} ${terminal.style.dim(bot.description ?? bot.name ?? '')}`);
  }
}

async function listModels(api: ApiClient, state: ChatState, terminal: Terminal): Promise<void> {
  const models = await api.get<{ data: Array<{ id: string; owned_by?: string }> }>('/v1/models');
  for (const model of models.data) {
    const mark = model.id === state.model ? terminal.style.green('*') : ' ';
    terminal.out(`${mark} ${model.id.padEnd(24)} ${terminal.style.dim(model.owned_by ?? '')}`);
  }
}

/** `/bot` and `/model`: checked with the host before switching, so a typo never reaches a turn. */
async function runLocal(api: ApiClient, state: ChatState, input: { name: string; arg: string }, terminal: Terminal): Promise<void> {
  const { style } = terminal;
  if (input.name === 'help') {
    for (const line of HELP) terminal.out(style.dim(line));
    return;
  }
  if (input.name === 'bot') {
    if (!input.arg) return listBots(api, state, terminal);
    const bot = await api.get<{ slug: string; name?: string }>(`/v1/bots/${encodeURIComponent(input.arg)}`);
    state.bot = bot.slug;
    terminal.out(style.dim(`now talking to ${bot.name ?? bot.slug} (${bot.slug})`));
    return;
  }
  if (!input.arg) return listModels(api, state, terminal);
  if (input.arg === 'default') {
    state.model = undefined;
    terminal.out(style.dim("back to the bot's default model"));
    return;
  }
  const model = await api.get<{ id: string }>(`/v1/models/${encodeURIComponent(input.arg)}`);
  state.model = model.id;
  terminal.out(style.dim(`model: ${model.id}`));
}

/** The default bot's slug, when the host says (for the banner and `/bot`). */
async function defaultBot(api: ApiClient): Promise<string | undefined> {
  try {
    const status = await api.get<{ bots?: { default?: string } }>('/v1/status');
    return status.bots?.default;
  } catch {
    return undefined;
  }
}

/** One turn, streamed and rendered; Ctrl+C (turn.abort) stops it and keeps the chat going. */
async function runTurn(api: ApiClient, state: ChatState, text: string, terminal: Terminal, turn: AbortController): Promise<void> {
  const { style } = terminal;
  const markdown = (await import('../render/markdown.js')).createMarkdownStream({ color: style.color, width: terminal.width });
  const spinner = terminal.stdout.isTTY ? createSpinner({ stream: terminal.stdout, style, label: 'thinking' }) : undefined;
  let written = '';
  let reasoning = false;
  // `written` is the last text written without its colour codes, to know where lines end.
  const write = (chunk: string, plain = chunk) => {
    if (!chunk) return;
    written = plain;
    terminal.stdout.write(chunk);
  };
  /** Ends what is being written (rendered text or reasoning) on a line of its own. */
  const endLine = () => {
    write(markdown.end());
    if (written && !written.endsWith('\n')) write('\n');
  };
  try {
    await streamTurn(api, { content: text, bot: state.bot, model: state.model, user: state.user }, {
      onStart: () => spinner?.stop(),
      // The model's reasoning, dimmed, in a terminal only (a transcript keeps just the answer).
      onReasoning: (delta) => {
        if (!terminal.stdout.isTTY) return;
        reasoning = true;
        write(style.dim(style.italic(delta)), delta);
      },
      onTool: (event) => {
        endLine();
        write(`${describeTool(event, terminal, style)}\n`);
      },
      onText: (delta) => {
        if (reasoning) {
          reasoning = false;
          endLine();
          write('\n');
        }
        write(markdown.push(delta));
      },
    }, turn.signal);
    if (turn.signal.aborted) throw new CliError('interrupted', EXIT.interrupted);
    endLine();
  } catch (error) {
    endLine();
    if (turn.signal.aborted) {
      terminal.out(style.dim('(stopped)'));
      return;
    }
    throw error;
  } finally {
    spinner?.stop();
  }
  terminal.stdout.write('\n');
}

function prompt(rl: Interface, terminal: Terminal, more: boolean): void {
  rl.setPrompt(more ? terminal.style.dim('... ') : `${terminal.style.bold(terminal.style.green('you'))}${terminal.style.dim('›')} `);
  rl.prompt();
}

/** The interactive loop: reads messages, runs turns one at a time, keeps going after errors. */
async function chatLoop(api: ApiClient, state: ChatState, terminal: Terminal): Promise<void> {
  const interactive = terminal.stdin.isTTY === true;
  const file = interactive ? historyPath(terminal.env) : undefined;
  const rl = createInterface({
    input: terminal.stdin,
    output: terminal.stdout as NodeJS.WritableStream,
    terminal: interactive,
    history: loadHistory(file),
    historySize: 1_000,
    removeHistoryDuplicates: true,
  });
  rl.on('history', (history: string[]) => saveHistory(file, history));
  const collector = new InputCollector();
  let turn: AbortController | undefined;
  let lastInterrupt = 0;
  rl.on('SIGINT', () => {
    if (turn) return turn.abort();
    if (collector.pending || rl.line) {
      collector.reset();
      terminal.stdout.write('\n');
      prompt(rl, terminal, false);
      return;
    }
    if (Date.now() - lastInterrupt < 2_000) return rl.close();
    lastInterrupt = Date.now();
    terminal.stdout.write(`\n${terminal.style.dim('(Ctrl+C again or Ctrl+D to leave)')}\n`);
    prompt(rl, terminal, false);
  });

  const who = state.bot ?? (await defaultBot(api)) ?? 'the default bot';
  state.bot ??= who === 'the default bot' ? undefined : who;
  terminal.out(terminal.style.dim(`llm-bawt chat with ${who}${state.model ? ` on ${state.model}` : ''} (${api.connection.label}). /help for commands, Ctrl+D to leave.`));
  if (interactive) prompt(rl, terminal, false);
  for await (const line of rl) {
    const input = collector.push(line);
    if (input.kind === 'exit') break;
    if (input.kind === 'more') {
      if (interactive) prompt(rl, terminal, collector.pending);
      continue;
    }
    turn = new AbortController();
    try {
      if (input.kind === 'command') await runLocal(api, state, input, terminal);
      else await runTurn(api, state, input.text, terminal, turn);
    } catch (error) {
      if (!isCliError(error)) throw error;
      report(terminal, 'chat', error);
    } finally {
      turn = undefined;
    }
    if (interactive) prompt(rl, terminal, false);
  }
  rl.close();
  if (interactive) terminal.stdout.write('\n');
}

export function chatCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'chat', description: 'Talk with a bot interactively: streaming, markdown, tool calls as they run, /new, /bot, /model' },
    args: { ...turnArgs, ...connectArgs },
    async run({ args }) {
      const code = await withApi(ctx, 'chat', args, async (api, terminal) => {
        await chatLoop(api, { bot: args.bot, model: args.model, user: args.user }, terminal);
      }, { ownInterrupts: true });
      if (code !== 0) ctx.exit(code);
    },
  });
}
