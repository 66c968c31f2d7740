import { coreRefs, createError, definePlugin } from '@llm-bawt/sdk';
import { createStoreAdmin, storeAdminRef } from './admin/admin.js';
import { storePostgresConfigSchema } from './config.js';
import { sharedEntities } from './entities.js';
import { loadIntoRegistries } from './live-sync.js';
import { sharedMigrations } from './migrations/shared.js';
import { storeRef } from './refs.js';
import { storeRoutes } from './routes/all.js';
import { databaseStatusCheck } from './status-check.js';
import { openStore, STORE_PLUGIN_ID } from './store.js';
import { turnLogHook } from './turn-log.js';

/**
 * Storage for llm-bawt: MikroORM over embedded PGlite (pgvector, in a worker thread) by
 * default, or over PostgreSQL + pgvector when a URL is given. Applies every plugin's
 * migrations at boot, seeds bots, then serves the database's bots, model definitions and
 * runtime settings (`coreRefs.settings`); provides `coreRefs.db` per request, `storeRef` and
 * `storeAdminRef`; writes turn logs; adds the `/v1/bots`, `/v1/settings`,
 * `/v1/model-definitions` and `/v1/turn-logs` routes and the `database` status check. @public
 */
export const storePostgresPlugin = definePlugin({
  id: STORE_PLUGIN_ID,
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'MikroORM on embedded PGlite (pgvector) by default, or PostgreSQL + pgvector; migrations; turn logs',
  requires: { contributions: coreRefs.contributions, bots: coreRefs.bots, models: coreRefs.models },
  provides: [coreRefs.db, coreRefs.settings, storeRef, storeAdminRef],
  config: storePostgresConfigSchema,
  contributes: { entities: sharedEntities, migrations: sharedMigrations, routes: storeRoutes, status: [databaseStatusCheck] },
  hooks: { POST_PROCESS: turnLogHook },
  // A first boot of the embedded database runs initdb (a few seconds on a slow machine), and
  // a second host may wait for the migration lock.
  setupTimeoutMs: 120_000,
  async setup(ctx) {
    const { config, deps, logger } = ctx;
    const started = performance.now();
    const store = await openStore({
      ...(config.url ? { url: config.url } : {}),
      ...(config.dataDir ? { dataDir: config.dataDir } : {}),
      env: ctx.env,
      fallbackDataDir: ctx.dataDir,
      poolSize: config.poolSize,
      entities: deps.contributions.entities.filter((e) => e.pluginId !== STORE_PLUGIN_ID).map((e) => e.value),
      migrations: deps.contributions.migrations,
      logger,
    });
    ctx.onClose(() => store.close());

    if (config.migrateOnBoot) {
      const report = await store.migrate();
      if (report.applied.length > 0) {
        logger.info(`applied ${report.applied.length} migration(s) to ${report.target}`, { migrations: report.applied.map((m) => `${m.pluginId}/${m.id}`) });
      }
    } else {
      const { migrations, pending } = await store.status();
      if (migrations.some((m) => m.pluginId === STORE_PLUGIN_ID && m.state === 'pending')) {
        throw createError(
          'LLMB_ERR_PLUGIN_SETUP',
          `${store.target.label} lacks store-postgres's own tables (migrateOnBoot is off): run 'llm-bawt db migrate' first, or set migrateOnBoot: true`,
          { pluginId: STORE_PLUGIN_ID },
        );
      }
      if (pending > 0) logger.warn(`${pending} migration(s) are pending on ${store.target.label}: run 'llm-bawt db migrate'`);
    }
    if (config.seedBots) {
      const seeded = await store.bots.seedFromConfig(deps.bots.list());
      if (seeded.inserted.length > 0) logger.info(`seeded bot(s) ${seeded.inserted.join(', ')} into the database`);
    }
    // The database wins over bots.yaml and models.yaml: the host serves what the tables hold.
    const { fileModels } = await loadIntoRegistries(store, deps, logger);
    logger.info(`storage ready: ${store.target.label} (${Math.round(performance.now() - started)} ms)`);

    const agents = new Set(deps.contributions.agents.map((entry) => entry.value.id));
    ctx.provide(storeRef, () => store);
    ctx.provide(storeAdminRef, () => createStoreAdmin({ store, bots: deps.bots, models: deps.models, agents, fileModels }));
    ctx.provide(coreRefs.settings, () => store.settingsSource);
    ctx.provide(coreRefs.db, () => store.em());
  },
});

export default storePostgresPlugin;
