import { createError, type LlmbError } from '@llm-bawt/sdk';
import { passwordOf, type DatabaseTarget } from './config.js';

const PLUGIN_ID = 'store-postgres';
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

function codeOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** One line, with the URL's password (if any) replaced. */
export function scrub(message: string, target: DatabaseTarget): string {
  const password = passwordOf(target);
  let line = message.replace(/\s*\n\s*/g, ' ').trim();
  if (password) line = line.split(password).join('***');
  return line.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
}

/** A boot-time storage error: one actionable line, coded, naming the plugin. */
export function storageError(message: string, target: DatabaseTarget, cause?: unknown): LlmbError {
  return createError('LLMB_ERR_PLUGIN_SETUP', scrub(message, target), { pluginId: PLUGIN_ID }, cause);
}

function causeText(error: unknown): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code && !message.includes(code)) return `${code} ${message}`;
  return message || code || 'unknown error';
}

/** Turns a failure to connect or log in into one actionable line. */
export function connectionError(error: unknown, target: DatabaseTarget): LlmbError {
  if (target.kind === 'embedded') {
    return storageError(`cannot open ${target.label}: ${causeText(error)}`, target, error);
  }
  const code = codeOf(error);
  const where = `${target.host}:${target.port}`;
  const message = error instanceof Error ? error.message : String(error);
  if ((code && UNREACHABLE.has(code)) || /timeout|timed out|terminated unexpectedly/i.test(message)) {
    return storageError(
      `cannot reach PostgreSQL at ${where} (${causeText(error)}): start it, fix DATABASE_URL, or unset DATABASE_URL to use the embedded database`,
      target,
      error,
    );
  }
  if (code === '28P01' || code === '28000') {
    return storageError(`PostgreSQL at ${where} refused user '${target.user}' (${message}): check the user and password in DATABASE_URL`, target, error);
  }
  if (code === '3D000') {
    return storageError(`PostgreSQL at ${where} has no database '${target.database}': create it (createdb ${target.database}) or fix DATABASE_URL`, target, error);
  }
  return storageError(`cannot use ${target.label}: ${causeText(error)}`, target, error);
}

/** The line for a server without an extension we need (pgvector). */
export function missingExtensionError(target: DatabaseTarget, extension: string, serverMajor: number | undefined): LlmbError {
  if (target.kind === 'embedded') {
    return storageError(`${target.label} has no ${extension} extension: reinstall @electric-sql/pglite (it ships pgvector)`, target);
  }
  const pkg = `postgresql-${serverMajor ?? '<version>'}-pgvector`;
  const name = extension === 'vector' ? 'pgvector' : extension;
  return storageError(
    `PostgreSQL at ${target.host}:${target.port} has no ${name} extension: install it (apt install ${pkg} or build from source) or unset DATABASE_URL to use the embedded database`,
    target,
  );
}

/** The line for a role that may not create the extension. */
export function extensionPrivilegeError(target: DatabaseTarget, extension: string, error: unknown): LlmbError {
  const database = target.kind === 'external' ? target.database : 'the database';
  return storageError(
    `cannot create the ${extension} extension in ${target.label} (${causeText(error)}): ask a superuser to run CREATE EXTENSION ${extension} in ${database}`,
    target,
    error,
  );
}
