import { readFileSync } from 'node:fs';
import { loadHostConfig, type HostConfigFile } from '@llm-bawt/core';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { fromConfigProblems, type Problem } from './problems.js';

export interface LoadedConfigFile {
  value: HostConfigFile;
  problems: Problem[];
}

/** Reads and validates `llm-bawt.config.yaml` (or `.ts`); problems come back, never thrown. */
export async function readConfigFile(path: string, label: string): Promise<LoadedConfigFile> {
  const loaded = await loadHostConfig(path, label);
  return { value: loaded.config, problems: fromConfigProblems(loaded.problems) };
}

/** The line a dotted path (`plugins.2`) starts on in a YAML file, when it can be found. */
export function lineOf(file: string, path: string): number | undefined {
  if (!/\.ya?ml$/.test(file)) return undefined;
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
    const keys = path.split('.').map((key) => (/^\d+$/.test(key) ? Number(key) : key));
    const node = doc.getIn(keys, true);
    const offset = isNode(node) ? node.range?.[0] : undefined;
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  } catch {
    return undefined;
  }
}
