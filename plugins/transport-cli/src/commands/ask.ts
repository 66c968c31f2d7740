import type { Readable } from 'node:stream';
import { defineCommand } from 'citty';
import { createSpinner } from '../render/progress.js';
import type { Terminal } from '../terminal.js';
import { completeTurn, streamTurn, type ToolEvent } from '../turn.js';
import { CliError, EXIT } from '../errors.js';
import { connectArgs, jsonArg, printJson, report, withApi, type AnyCommand, type CliContext } from './shared.js';

/** Reads all of a piped stdin; nothing when stdin is a terminal. */
export async function readPipedStdin(stdin: Readable & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The question: the words given, then piped text below them (either may be alone). */
export function questionOf(words: readonly string[], piped: string): string {
  const asked = words.join(' ').trim();
  const text = piped.replace(/\s+$/, '');
  if (asked && text) return `${asked}\n\n${text}`;
  return asked || text;
}

/** One line for a server-side tool: `⚙ name(args)` as it starts, `✔ name 120 ms` / `✖ name: error` as it ends. */
export function describeTool(event: ToolEvent, terminal: Terminal, style = terminal.errStyle): string {
  if (event.event === 'tool_start') {
    const args = event.arguments === undefined ? '' : typeof event.arguments === 'string' ? event.arguments : JSON.stringify(event.arguments);
    const shown = args.length > 120 ? `${args.slice(0, 119)}…` : args;
    return style.dim(`⚙ ${style.cyan(event.name)}(${shown})`);
  }
  const took = event.duration_ms !== undefined ? ` ${event.duration_ms} ms` : '';
  if (event.is_error) return style.dim(`${style.red('✖')} ${event.name}${took}: ${event.error ?? event.result ?? 'failed'}`);
  return style.dim(`${style.green('✔')} ${event.name}${took}`);
}

export const turnArgs = {
  bot: { type: 'string', alias: 'b', description: 'Bot that answers (default: the default bot)', valueHint: 'SLUG' },
  model: { type: 'string', alias: 'm', description: "Model alias (default: the bot's default model)", valueHint: 'ALIAS' },
  user: { type: 'string', alias: 'u', description: 'User id memory and history belong to (default: the host default user)', valueHint: 'ID' },
} as const;

export function askCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'ask', description: 'Ask one question and print the answer (reads stdin when piped)' },
    args: {
      question: { type: 'positional', required: false, description: 'The question (several words are joined); piped stdin is added below it', valueHint: 'QUESTION' },
      ...turnArgs,
      plain: { type: 'boolean', description: 'Print the raw answer: no markdown rendering, no colours' },
      stream: { type: 'boolean', default: true, description: 'Stream the answer as it is written', negativeDescription: 'Wait for the whole answer, then print it' },
      ...jsonArg,
      ...connectArgs,
    },
    async run({ args }) {
      const terminal = ctx.terminal();
      const content = questionOf(args._, await readPipedStdin(terminal.stdin));
      if (!content) {
        ctx.exit(report(terminal, 'ask', new CliError('ask needs a question: llm-bawt ask "what is a monad?", or pipe text in (echo hi | llm-bawt ask)', EXIT.usage)));
        return;
      }
      const code = await withApi(ctx, 'ask', args, async (api, term, signal) => {
        const request = { content, bot: args.bot, model: args.model, user: args.user };
        if (args.json) {
          printJson(term, await completeTurn(api, request, signal));
          return;
        }
        const render = !args.plain && term.style.color;
        const markdown = (await import('../render/markdown.js')).createMarkdownStream({ color: render, width: term.width });
        if (!args.stream) {
          const completion = (await completeTurn(api, request, signal)) as { choices?: Array<{ message?: { content?: string | null } }> };
          const text = completion.choices?.[0]?.message?.content ?? '';
          term.stdout.write(markdown.push(text) + markdown.end());
          if (!text.endsWith('\n')) term.stdout.write('\n');
          return;
        }
        const spinner = term.stderr.isTTY ? createSpinner({ stream: term.stderr, style: term.errStyle, label: 'thinking' }) : undefined;
        let last = '';
        try {
          const result = await streamTurn(api, request, {
            onStart: () => spinner?.stop(),
            onTool: (event) => term.err(describeTool(event, term)),
            onText: (text) => {
              last = text;
              term.stdout.write(markdown.push(text));
            },
          }, signal);
          term.stdout.write(markdown.end());
          if (!(result.content || last).endsWith('\n')) term.stdout.write('\n');
        } finally {
          spinner?.stop();
        }
      });
      if (code !== 0) ctx.exit(code);
    },
  });
}
