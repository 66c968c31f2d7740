import type { BotRegistry, Logger, ModelRegistry, ModelSpec } from '@llm-bawt/sdk';
import { toBotConfig } from './admin/bots.js';
import type { Store } from './store.js';

/**
 * Makes the host serve what the database holds (DESIGN §5: after the first boot the database
 * wins over bots.yaml and models.yaml): model definition rows override aliases, bot rows
 * replace bots, and bots the database lacks are dropped (when it has any bot at all).
 * Runs during setup, before the host starts its bots. Returns models.yaml's definitions as
 * they were, so deleting a row can bring an alias back to its file definition.
 */
export async function loadIntoRegistries(
  store: Store,
  registries: { bots: BotRegistry; models: ModelRegistry },
  logger: Logger,
): Promise<{ fileModels: Map<string, ModelSpec> }> {
  const { bots, models } = registries;
  const fileModels = new Map(models.list().map((spec) => [spec.alias, spec]));
  for (const spec of await store.models.list()) models.upsert(spec);

  const rows = await store.bots.list();
  if (rows.length > 0) {
    const stored = new Set(rows.map((row) => row.slug));
    for (const row of rows) await bots.upsert(toBotConfig(row));
    const dropped = bots.list().filter((bot) => !stored.has(bot.slug));
    for (const bot of dropped) await bots.remove(bot.slug);
    if (dropped.length > 0) logger.info(`bot(s) ${dropped.map((b) => b.slug).join(', ')} of bots.yaml are not in the database: not served`);
  }
  for (const bot of bots.list()) {
    if (bot.default_model && !models.get(bot.default_model)) {
      logger.warn(`bot '${bot.slug}' has default_model '${bot.default_model}', which is not a model alias: its turns need a model in the request`);
    }
  }
  await store.settingsSource.reload();
  return { fileModels };
}
