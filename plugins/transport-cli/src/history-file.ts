import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const KEEP = 1_000;

/**
 * Where `llm-bawt chat` keeps its input history: $LLM_BAWT_CHAT_HISTORY (empty turns it off),
 * else $XDG_STATE_HOME/llm-bawt/chat_history, else ~/.local/state/llm-bawt/chat_history.
 */
export function historyPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.LLM_BAWT_CHAT_HISTORY !== undefined) return env.LLM_BAWT_CHAT_HISTORY || undefined;
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'llm-bawt', 'chat_history');
}

/** Newest first, as readline wants it; nothing when the file is missing or unreadable. */
export function loadHistory(path: string | undefined): string[] {
  if (!path) return [];
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).reverse().slice(0, KEEP);
  } catch {
    return [];
  }
}

/** Writes readline's history (newest first) oldest first; a failure only loses the history. */
export function saveHistory(path: string | undefined, history: readonly string[]): void {
  if (!path) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${history.slice(0, KEEP).reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience: never fail a chat over it.
  }
}
