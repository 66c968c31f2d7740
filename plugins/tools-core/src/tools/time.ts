import * as v from 'valibot';
import { defineTool } from '@llm-bawt/sdk';

function offsetOf(date: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  const offset = part?.value.replace(/^GMT/, '') ?? '';
  return offset === '' ? '+00:00' : offset;
}

/** The current date and time, in a named IANA time zone or the bot's `timezone` setting. @public */
export const timeTool = defineTool({
  name: 'time',
  description: 'Returns the current date and time. Pass an IANA time zone (e.g. "Europe/Oslo") for local time there.',
  input: v.object({
    timezone: v.optional(v.pipe(v.string(), v.description('IANA time zone, e.g. "America/New_York"; defaults to the server\'s'))),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true },
  run({ timezone }, ctx) {
    const timeZone = timezone ?? ctx.turn?.setting<string | undefined>('timezone', undefined) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    let local: string;
    const now = new Date();
    try {
      local = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(now);
    } catch {
      throw new Error(`unknown time zone '${timeZone}'; use an IANA name such as "Europe/Oslo"`);
    }
    return { iso: now.toISOString(), timezone: timeZone, local, utc_offset: offsetOf(now, timeZone), unix: Math.floor(now.getTime() / 1000) };
  },
});
