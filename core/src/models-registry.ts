import type { Logger, ModelAvailability, ModelRegistry, ModelSpec, ProviderClient, ProviderDefinition } from '@llm-bawt/sdk';
import { createError } from '@llm-bawt/sdk';

const PROVIDER_PLUGIN_HINT: Record<string, string> = {
  openai: '@llm-bawt/plugin-provider-openai',
  'openai-compatible': '@llm-bawt/plugin-provider-openai',
  anthropic: '@llm-bawt/plugin-provider-anthropic',
  xai: '@llm-bawt/plugin-provider-xai',
};

/** models.yaml aliases joined with the provider plugins that serve them. */
export class ConfiguredModelRegistry implements ModelRegistry {
  readonly #models: Map<string, ModelSpec>;
  readonly #providers = new Map<string, ProviderDefinition>();
  readonly #clients = new Map<string, ProviderClient>();

  constructor(
    models: ModelSpec[],
    readonly preferredDefault: string | undefined,
    providers: ProviderDefinition[],
    readonly env: Readonly<Record<string, string | undefined>>,
    readonly logger: Logger,
  ) {
    this.#models = new Map(models.map((m) => [m.alias, Object.freeze(m)]));
    for (const provider of providers) for (const kind of provider.kinds) this.#providers.set(kind, provider);
  }

  list(): ModelSpec[] {
    return [...this.#models.values()];
  }

  get(alias: string): ModelSpec | undefined {
    return this.#models.get(alias);
  }

  availability(alias: string): ModelAvailability {
    const spec = this.#models.get(alias);
    if (!spec) return { usable: false, reason: `unknown model alias '${alias}'`, hint: 'add it to models.yaml' };
    const provider = this.#providers.get(spec.provider);
    if (!provider) {
      const plugin = PROVIDER_PLUGIN_HINT[spec.provider];
      return {
        usable: false,
        reason: `no loaded plugin serves provider '${spec.provider}'`,
        hint: plugin ? `add ${plugin} to the plugins in llm-bawt.config.yaml` : `load a plugin that provides '${spec.provider}'`,
      };
    }
    return provider.check(spec, { env: this.env, logger: this.logger });
  }

  /** The first configured default that exists: explicit preference, then the file's default, then the first usable alias. */
  defaultAlias(): string | undefined {
    if (this.preferredDefault && this.#models.has(this.preferredDefault)) return this.preferredDefault;
    for (const alias of this.#models.keys()) if (this.availability(alias).usable) return alias;
    return undefined;
  }

  upsert(spec: ModelSpec): void {
    this.#models.set(spec.alias, Object.freeze({ ...spec }));
    // The client was built from the old spec (base URL, key variable): build it again on next use.
    this.#clients.delete(spec.alias);
  }

  remove(alias: string): boolean {
    this.#clients.delete(alias);
    return this.#models.delete(alias);
  }

  /** The (cached) client of an alias; throws LLMB_ERR_PROVIDER_NOT_CONFIGURED with the fix when unusable. */
  client(alias: string): ProviderClient {
    const cached = this.#clients.get(alias);
    if (cached) return cached;
    const spec = this.#models.get(alias);
    if (!spec) throw createError('LLMB_ERR_UNKNOWN_MODEL', `The model '${alias}' does not exist`, { param: 'model' });
    const availability = this.availability(alias);
    if (!availability.usable) {
      throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', `model '${alias}' cannot be used: ${availability.reason}. ${availability.hint}`, { param: 'model' });
    }
    const provider = this.#providers.get(spec.provider) as ProviderDefinition;
    const client = provider.create(spec, { env: this.env, logger: this.logger.child({ provider: provider.id, alias }) });
    this.#clients.set(alias, client);
    return client;
  }
}
