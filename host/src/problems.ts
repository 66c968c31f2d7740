import { formatProblem, type ConfigProblem } from '@llm-bawt/core';

/**
 * One thing wrong with the setup. File problems name the file, the dotted path in it and
 * the line; problems without a file (a plugin's dependency, say) carry their error code.
 */
export interface Problem {
  file?: string;
  path?: string;
  line?: number;
  code?: string;
  message: string;
}

/** The CLI's one line per problem: `file:line: path: message`, or `[CODE] message`. */
export function formatHostProblem(problem: Problem): string {
  if (problem.file !== undefined) {
    return formatProblem({ file: problem.file, path: problem.path ?? '', message: problem.message, ...(problem.line ? { line: problem.line } : {}) });
  }
  return problem.code ? `[${problem.code}] ${problem.message}` : problem.message;
}

/** Every problem under one heading, the way `host` and `config check` print them. */
export function formatProblems(problems: readonly Problem[], heading: string): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return [`${heading}: ${count}`, ...problems.map((p) => `  ${formatHostProblem(p)}`)].join('\n');
}

export function fromConfigProblems(problems: readonly ConfigProblem[]): Problem[] {
  return problems.map((p) => ({ file: p.file, path: p.path, message: p.message, ...(p.line ? { line: p.line } : {}) }));
}

/**
 * The expected way for the host to refuse: it carries every problem found, and the CLI
 * prints them without a stack trace.
 */
export class BootFailure extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[], heading = 'llm-bawt cannot start') {
    super(formatProblems(problems, heading));
    this.name = 'BootFailure';
    this.problems = problems;
  }
}

export function isBootFailure(value: unknown): value is BootFailure {
  return value instanceof BootFailure;
}
