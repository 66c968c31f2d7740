export { planBoot, bootHost, type BootPlan, type BootRequest } from './boot.js';
export { bindProblems, isLoopback } from './bind-safety.js';
export { BUILTIN_BOTS, BUILTIN_MODELS } from './builtin-catalog.js';
export { guarded, processIo, type CliIo } from './cli-io.js';
export { lineOf, readConfigFile } from './config-file.js';
export { DEFAULT_PLUGINS } from './default-plugins.js';
export { loadRequestedPlugins, type LoadedPluginSet } from './plugin-loading.js';
export { preflight } from './preflight.js';
export { BootFailure, formatHostProblem, formatProblems, isBootFailure, type Problem } from './problems.js';
export { renderBootTree } from './render-boot-tree.js';
export { renderModels } from './render-models.js';
export {
  CONFIG_FILE_NAMES,
  DEFAULT_BIND,
  DEFAULT_MCP_PORT,
  DEFAULT_PORT,
  findConfigFile,
  pluginEnv,
  resolveSettings,
  type CliFlags,
  type Env,
  type HostSettings,
  type Origin,
  type PluginRequest,
} from './settings.js';
export { FORCED_EXIT_CODE, handleShutdownSignals } from './shutdown.js';
export { runConfigCheck } from './commands/config-check.js';
export { runHost } from './commands/host.js';
export { runPlugins } from './commands/plugins.js';
