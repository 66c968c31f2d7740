import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { BIN } from './helpers.js';
import { cliEnv, cliProject } from './cli-helpers.js';

/** A tmux server of this test's own, so nothing of the machine's tmux is touched. */
class Pty {
  private readonly socket = `llmb-test-${process.pid}-${Date.now()}`;

  constructor(command: string[], cwd: string, env: NodeJS.ProcessEnv) {
    const exports = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${shellQuote(v as string)}`);
    const line = `cd ${shellQuote(cwd)} && env -i ${exports.join(' ')} ${command.map(shellQuote).join(' ')}; echo "[exit $?]"; sleep 30`;
    this.tmux('new-session', '-d', '-s', 'chat', '-x', '110', '-y', '50', line);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'chat');
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'chat', '-l', text);
    this.tmux('send-keys', '-t', 'chat', 'Enter');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'chat', ...keys);
  }

  async waitFor(pattern: RegExp | string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; the screen was:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

let upstream: ScriptedUpstream;
beforeAll(async () => {
  upstream = await createScriptedUpstream();
});
afterAll(async () => {
  await upstream.close();
});

describe('llm-bawt chat in a terminal', () => {
  it('two turns with /new between them: streamed replies, a fresh conversation, history kept for the next run', { timeout: 90_000 }, async () => {
    const dir = cliProject(upstream);
    // A colour terminal: markdown is rendered.
    const env = { ...cliEnv(dir, { TERM: 'xterm-256color' }), NO_COLOR: undefined };
    upstream.reset();
    upstream.setDefault({ text: ['First ', 'reply ', 'here.'], chunkDelayMs: 20 });
    const pty = new Pty([process.execPath, BIN, 'chat'], dir, env);
    try {
      await pty.waitFor('llm-bawt chat with tracer');
      await pty.waitFor('you›');
      pty.type('remember the word pineapple');
      await pty.waitFor(/First reply here\.\n+you›/);

      pty.type('/new');
      await pty.waitFor(/Started a new conversation.*\n+you›/);

      upstream.setDefault({ reasoning: 'The user asked about a word.', text: 'Second **reply**.' });
      pty.type('what word did I say?');
      const screen = await pty.waitFor('Second reply.');
      // The model's reasoning is shown (dimmed) before the answer.
      expect(screen).toMatch(/The user asked about a word\.\n+Second reply\./);
      // Markdown is rendered in a terminal: the asterisks are gone.
      expect(screen).not.toContain('**reply**');

      // After /new the model sees no raw history of the first conversation.
      const turns = upstream.requests.filter((r) => r.path.endsWith('/chat/completions') && r.stream);
      const last = turns.at(-1)?.body.messages as Array<{ role: string; content: unknown }>;
      expect(last.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['what word did I say?']);
      expect(last.some((m) => m.role === 'assistant' && String(m.content).includes('First reply here.'))).toBe(false);

      pty.keys('C-d');
      const end = await pty.waitFor('[exit 0]');
      expect(count(end, 'First reply here.')).toBe(1);
    } finally {
      pty.close();
    }
    // Input history is kept for the next session (up-arrow).
    const historyFile = join(dir, 'home', '.local', 'state', 'llm-bawt', 'chat_history');
    expect(existsSync(historyFile)).toBe(true);
    expect(readFileSync(historyFile, 'utf8').split('\n')).toEqual(expect.arrayContaining(['remember the word pineapple', '/new', 'what word did I say?']));
  });

  it('multi-line input, /bot and /model switches, tool calls as they run, Ctrl+C mid-reply; an unknown bot leaves the chat running', { timeout: 60_000 }, async () => {
    const dir = cliProject(upstream);
    upstream.reset();
    upstream.setDefault({ text: 'Multi answered.' });
    const pty = new Pty([process.execPath, BIN, 'chat'], dir, cliEnv(dir, { TERM: 'xterm-256color' }));
    try {
      await pty.waitFor('you›');
      pty.type('/bot nobody');
      await pty.waitFor(/llm-bawt chat: .*nobody.*\n+you›/);
      pty.type('/bot plain');
      await pty.waitFor(/now talking to Plain.*\n+you›/);
      pty.type('/model other');
      await pty.waitFor(/model: other\n+you›/);
      pty.type('"""');
      pty.type('line one');
      pty.type('line two');
      pty.type('"""');
      await pty.waitFor('Multi answered.');
      const turn = upstream.requests.filter((r) => r.path.endsWith('/chat/completions') && r.stream).at(-1);
      expect(turn?.body.model).toBe('scripted-other');
      const messages = turn?.body.messages as Array<{ role: string; content: unknown }>;
      expect(messages.at(-1)?.content).toBe('line one\nline two');
      expect(messages.some((m) => m.role === 'system' && String(m.content).includes('You are plain.'))).toBe(true);

      // A server-side tool call is shown as it runs, then the answer.
      pty.type('/bot clock');
      await pty.waitFor(/now talking to Clock.*\n+you›/);
      upstream.script({ toolCalls: [{ id: 'call_1', name: 'time', arguments: {} }] }, { text: 'It is noon.' });
      pty.type('what time is it?');
      await pty.waitFor(/⚙ time\(.*\)\n✔ time \d+ ms\nIt is noon\./);

      // Ctrl+C stops a reply being written (the upstream request is cancelled) and the chat goes on.
      upstream.setDefault({ text: Array.from({ length: 60 }, (_, i) => `w${i} `), chunkDelayMs: 100 });
      pty.type('a long one please');
      await pty.waitFor('w3 ');
      pty.keys('C-c');
      await pty.waitFor(/\(stopped\)\n+you›/);
      const long = upstream.requests.filter((r) => r.path.endsWith('/chat/completions') && r.stream).at(-1);
      if (long) await upstream.settled(long);
      expect(long?.aborted).toBe(true);
      expect(pty.screen()).not.toContain('w59');

      pty.type('/exit');
      await pty.waitFor('[exit 0]');
    } finally {
      pty.close();
    }
  });
});
