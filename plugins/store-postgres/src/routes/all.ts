import { botRoutes } from './bots.js';
import { modelRoutes } from './models.js';
import { settingRoutes } from './settings.js';
import { turnLogRoutes } from './turn-logs.js';

/** Every HTTP route store-postgres adds (served by the HTTP transport). */
export const storeRoutes = [...turnLogRoutes, ...botRoutes, ...settingRoutes, ...modelRoutes];
