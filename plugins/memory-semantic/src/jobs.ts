import { defineJob } from '@llm-bawt/sdk';
import { semanticRef } from './refs.js';

/** Embeds memories stored while no embedder answered (every 10 minutes). @public */
export const reembedJob = defineJob({
  id: 'memory-reembed',
  schedule: '*/10 * * * *',
  async run({ host, logger, signal }) {
    const { embedded } = await host.get(semanticRef).regenerateEmbeddings(undefined, { signal });
    if (embedded > 0) logger.info(`embedded ${embedded} memories that had no vector`);
  },
});

/** Decay pruning over every bot and user (daily). @public */
export const decayJob = defineJob({
  id: 'memory-decay',
  schedule: '17 3 * * *',
  async run({ host, logger }) {
    const { retired } = await host.get(semanticRef).decay(undefined, { dryRun: false });
    if (retired.length > 0) logger.info(`decay retired ${retired.length} memories`);
  },
});
