import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { LineCounter, parseDocument, isNode } from 'yaml';

/** One problem found in a config file: the file, the path inside it, the line, the message. */
export interface ConfigProblem {
  file: string;
  path: string;
  line?: number;
  message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.path || '(root)'}: ${problem.message}`;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

function pathOf(issue: v.BaseIssue<unknown>): (string | number)[] {
  return (issue.path ?? []).map((item) => item.key as string | number);
}

/**
 * Reads a YAML file and validates it with a valibot schema; every problem comes back with
 * the file, the dotted path and the line it starts on.
 */
export function readYamlFile<S extends v.GenericSchema>(file: string, schema: S, label = file): Parsed<v.InferOutput<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [{ file: label, path: '', message: `cannot read: ${(error as Error).message}` }] };
  }
  return parseYaml(text, schema, label);
}

export function parseYaml<S extends v.GenericSchema>(text: string, schema: S, label: string): Parsed<v.InferOutput<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        file: label,
        path: '',
        line: error.linePos?.[0]?.line,
        message: `YAML syntax: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  const result = v.safeParse(schema, doc.toJS() ?? {});
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    problems: result.issues.map((issue) => {
      const path = pathOf(issue);
      const node = path.length > 0 ? doc.getIn(path, true) : undefined;
      const parentNode = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : undefined;
      const located = isNode(node) ? node : isNode(parentNode) ? parentNode : undefined;
      const offset = located?.range?.[0];
      return {
        file: label,
        path: path.join('.'),
        ...(offset !== undefined ? { line: lineCounter.linePos(offset).line } : {}),
        message: issue.message,
      };
    }),
  };
}

/** Turns valibot issues for an in-memory value into problems. */
export function issuesToProblems(file: string, prefix: string, issues: readonly v.BaseIssue<unknown>[]): ConfigProblem[] {
  return issues.map((issue) => ({
    file,
    path: [prefix, ...pathOf(issue)].filter((p) => p !== '').join('.'),
    message: issue.message,
  }));
}
