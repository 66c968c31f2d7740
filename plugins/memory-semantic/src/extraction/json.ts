import JSON5 from 'json5';

// Models wrap JSON in prose, fences and <think> blocks, cut it off, or write Python literals.

function balancedFrom(text: string, start: number): string {
  const closers: string[] = [];
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') closers.push('}');
    else if (c === '[') closers.push(']');
    else if (c === '}' || c === ']') {
      closers.pop();
      if (closers.length === 0) return text.slice(start, i + 1);
    }
  }
  // Cut off: close what is open (dropping a dangling comma or key first).
  let tail = text.slice(start);
  if (quote) tail += quote;
  tail = tail.replace(/,\s*$/, '').replace(/,\s*"[^"]*"\s*:?\s*$/, '');
  return tail + closers.reverse().join('');
}

function candidates(text: string): string[] {
  const clean = text.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/<think>[\s\S]*$/i, '');
  const out: string[] = [];
  for (const fence of clean.matchAll(/```(?:json|javascript|js)?\s*([\s\S]*?)(?:```|$)/gi)) {
    if (fence[1]?.trim()) out.push(fence[1].trim());
  }
  const first = clean.search(/[[{]/);
  if (first >= 0) out.push(balancedFrom(clean, first));
  return out;
}

function repair(text: string): string {
  return text
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null')
    .replace(/,\s*([}\]])/g, '$1');
}

/**
 * Reads the first JSON value out of a model's reply: a fenced block or the first object or
 * array, tolerating trailing commas, single quotes, unquoted keys, comments, Python literals
 * and a cut-off end. Undefined when nothing parses. @public
 */
export function parseModelJson(text: string): unknown {
  for (const candidate of candidates(text)) {
    for (const attempt of [candidate, repair(candidate), repair(balancedFrom(candidate, Math.max(0, candidate.search(/[[{]/))))]) {
      try {
        return JSON.parse(attempt);
      } catch {
        try {
          return JSON5.parse(attempt);
        } catch {
          // next attempt
        }
      }
    }
  }
  return undefined;
}
