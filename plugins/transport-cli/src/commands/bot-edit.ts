import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse, parseDocument, stringify } from 'yaml';
import { CliError, EXIT } from '../errors.js';
import type { Terminal } from '../terminal.js';

// `bots edit`: the bot's editable fields as a YAML document, changed in an editor or by
// `--set FIELD=VALUE`, and the PATCH body of what changed.

/** A bot as the API answers it. */
export interface Bot {
  slug: string;
  name: string;
  description: string | null;
  system_prompt: string;
  requires_memory: boolean;
  uses_tools: boolean;
  uses_search: boolean;
  voice_optimized: boolean;
  agent_backend: string | null;
  agent_backend_config: Record<string, unknown> | null;
  default_model: string | null;
  settings: Record<string, unknown> | null;
  plugins: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

/** The fields PATCH /v1/bots/:slug/profile takes, in the order the document shows them. */
export const EDITABLE = [
  'name',
  'description',
  'default_model',
  'requires_memory',
  'uses_tools',
  'uses_search',
  'voice_optimized',
  'agent_backend',
  'agent_backend_config',
  'settings',
  'plugins',
  'system_prompt',
] as const;

type Field = (typeof EDITABLE)[number];
export type Editable = Record<Field, unknown>;

/** PATCH merges these key by key, so a removed key must be sent as `null`. */
const MERGED = new Set<Field>(['settings', 'plugins', 'agent_backend_config']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function editableOf(bot: Bot): Editable {
  return Object.fromEntries(EDITABLE.map((field) => [field, bot[field]])) as Editable;
}

function unknownField(name: string): CliError {
  return new CliError(`'${name}' is not an editable field (editable: ${EDITABLE.join(', ')})`, EXIT.usage);
}

/**
 * The PATCH body that turns `before` into `after`: changed fields only; in merged fields only
 * the changed keys, with `null` for a removed one. A field left out of `after` is cleared.
 */
export function patchOf(before: Editable, after: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(after)) if (!(EDITABLE as readonly string[]).includes(key)) throw unknownField(key);
  const patch: Record<string, unknown> = {};
  for (const field of EDITABLE) {
    const old = before[field] ?? null;
    let now = after[field] ?? null;
    if (MERGED.has(field) && isRecord(old) && now === null && !(field in after)) now = {};
    if (isDeepStrictEqual(old, now)) continue;
    if (MERGED.has(field) && isRecord(old) && isRecord(now)) {
      const keys = new Set([...Object.keys(old), ...Object.keys(now)]);
      patch[field] = Object.fromEntries([...keys].filter((key) => !isDeepStrictEqual(old[key], now[key])).map((key) => [key, now[key] ?? null]));
    } else patch[field] = now;
  }
  return patch;
}

/** A `--set` value: YAML, so `true`, `8000` and `null` are typed; text that is not a scalar stays text. */
export function setValue(raw: string): unknown {
  const text = raw.trim();
  try {
    const value: unknown = parse(text);
    if (typeof value === 'object' && value !== null && !/^[[{]/.test(text)) return raw;
    return value;
  } catch {
    return raw;
  }
}

/** `before` with each `FIELD=VALUE` applied; FIELD may be a path (`plugins.memory-semantic.nResults`, `settings.KEY`). */
export function applySets(before: Editable, sets: readonly string[]): Record<string, unknown> {
  const after = structuredClone(before) as Record<string, unknown>;
  for (const set of sets) {
    const at = set.indexOf('=');
    if (at <= 0) throw new CliError(`--set needs FIELD=VALUE (got '${set}')`, EXIT.usage);
    const [field = '', ...rest] = set.slice(0, at).trim().split('.');
    // Setting keys may hold dots themselves (`summarization_job.model`): one key, not a path.
    const path = [field, ...(field === 'settings' && rest.length > 0 ? [rest.join('.')] : rest)];
    if (!(EDITABLE as readonly string[]).includes(field)) throw unknownField(field);
    let target = after;
    for (const key of path.slice(0, -1)) {
      const next = target[key] ?? {};
      if (!isRecord(next)) throw new CliError(`--set ${path.join('.')}: '${key}' is not a mapping`, EXIT.usage);
      target[key] = next;
      target = next;
    }
    target[path.at(-1) as string] = setValue(set.slice(at + 1));
  }
  return after;
}

function header(slug: string): string {
  return [
    `# Bot '${slug}'. Change what you like, save and close: only changed fields are sent.`,
    '# A removed field is cleared; an empty document cancels. color lives in settings.color.',
    '',
  ].join('\n');
}

/** Reads the edited document; a YAML error is a usage error naming the line. */
export function readEdited(text: string, file: string): Record<string, unknown> | undefined {
  const doc = parseDocument(text);
  const [error] = doc.errors;
  if (error) {
    const line = error.linePos?.[0].line;
    throw new CliError(`${file}${line ? `:${line}` : ''}: not valid YAML: ${error.message.split('\n')[0]?.replace(/:$/, '')}; nothing was saved (your edit is kept there)`, EXIT.usage);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value)) throw new CliError(`${file}: the document must be a mapping of fields; nothing was saved (your edit is kept there)`, EXIT.usage);
  return value;
}

/** The editor command: $VISUAL, $EDITOR, else vi on a terminal; without a terminal, a usage error. */
export function editorOf(terminal: Terminal): string {
  const editor = terminal.env.VISUAL?.trim() || terminal.env.EDITOR?.trim();
  if (editor) return editor;
  if (terminal.stdin.isTTY && terminal.stdout.isTTY) return 'vi';
  throw new CliError('no editor: set $VISUAL or $EDITOR, or change fields with --set FIELD=VALUE', EXIT.usage);
}

const ignoreSigint = (): void => undefined;

/**
 * Runs the editor through the shell, as git does: $EDITOR may carry arguments (`code --wait`).
 * Ctrl+C belongs to the editor while it runs (vi uses it), so this process ignores it meanwhile.
 */
function runEditor(editor: string, file: string): Promise<number | null> {
  process.on('SIGINT', ignoreSigint);
  const child = spawn(`${editor} '${file.replaceAll("'", "'\\''")}'`, { shell: true, stdio: 'inherit' });
  return new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new CliError(`cannot run the editor '${editor}': ${error.message}`, EXIT.failed)));
    child.once('close', (code) => resolve(code));
  }).finally(() => process.off('SIGINT', ignoreSigint));
}

export interface Edit {
  after: Record<string, unknown>;
  /** The temp file holding the edit, kept when saving fails. */
  file?: string;
  discard?: () => void;
}

/** Opens the fields in the editor; undefined when the user emptied the document. */
export async function editInEditor(terminal: Terminal, slug: string, before: Editable): Promise<Edit | undefined> {
  const editor = editorOf(terminal);
  const dir = mkdtempSync(join(tmpdir(), 'llm-bawt-bot-'));
  const file = join(dir, `${slug}.yaml`);
  const discard = () => rmSync(dir, { recursive: true, force: true });
  writeFileSync(file, header(slug) + stringify(before, { lineWidth: 0 }));
  const code = await runEditor(editor, file);
  if (code !== 0) {
    discard();
    throw new CliError(`the editor '${editor}' exited with code ${code}; nothing was saved`, EXIT.failed);
  }
  const after = readEdited(readFileSync(file, 'utf8'), file);
  if (!after) {
    discard();
    return undefined;
  }
  return { after, file, discard };
}
