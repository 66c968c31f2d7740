// Runs the scripted upstream in its own process so it never shares an event loop with what
// is measured. The parent sets the default reply over IPC: { cmd: 'setDefault', step }.
import { createScriptedUpstream, type ScriptStep } from '@llm-bawt/sdk/testing';

const upstream = await createScriptedUpstream();
process.on('message', (message: { cmd: string; step?: ScriptStep; id: number }) => {
  if (message.cmd === 'setDefault' && message.step) upstream.setDefault(message.step);
  // The recorder keeps every request; a long bench would otherwise grow it without bound.
  if (message.cmd === 'reset') {
    const step = message.step;
    upstream.reset();
    if (step) upstream.setDefault(step);
  }
  process.send?.({ id: message.id, ok: true });
});
process.send?.({ ready: true, url: upstream.url, openaiBaseUrl: upstream.openaiBaseUrl });
process.on('disconnect', () => void upstream.close().then(() => process.exit(0)));
