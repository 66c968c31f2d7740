/** Removes secrets from text and JSON-like values before they are stored. */
export interface Redactor {
  text(value: string): string;
  value<T>(value: T): T;
}

const SECRET_NAME = /(KEY|KEYS|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/i;
const PATTERNS: [RegExp, string][] = [
  // Provider-style keys: sk-..., sk-ant-..., xai-..., and bearer tokens.
  [/\b(?:sk|xai|pk|rk)-[A-Za-z0-9_-]{16,}/g, '[redacted]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/gi, 'Bearer [redacted]'],
  // Passwords in URLs: scheme://user:password@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s/]+@/gi, '$1[redacted]@'],
];
const MIN_SECRET_LENGTH = 8;
const REPLACEMENT = '[redacted]';

/** Collects the secret values of an environment: `*_KEY`, `*_TOKEN`, `*_SECRET`, passwords, URL passwords. */
export function secretsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name)) {
      for (const part of value.split(',')) if (part.trim().length >= MIN_SECRET_LENGTH) secrets.add(part.trim());
    }
    if (/_URL$/i.test(name)) {
      try {
        const password = decodeURIComponent(new URL(value).password);
        if (password.length > 0) secrets.add(password);
      } catch {
        // not a URL: nothing to take from it
      }
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** A redactor for the given secret values plus the well-known key shapes. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const text = (value: string): string => {
    let out = value;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REPLACEMENT);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object' && !(value instanceof Date)) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    }
    return value;
  };
  return { text, value: <T>(value: T) => walk(value) as T };
}
