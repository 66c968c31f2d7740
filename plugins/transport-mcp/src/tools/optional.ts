import type { AnyRef, RefValue, ToolContext } from '@llm-bawt/sdk';

/** A ref's value when some plugin provides it, else undefined. */
export function maybe<R extends AnyRef>(ctx: Pick<ToolContext, 'get'>, ref: R): RefValue<R> | undefined {
  try {
    return ctx.get(ref);
  } catch {
    return undefined;
  }
}
