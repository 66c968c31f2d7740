import { defineCommand } from 'citty';
import { renderTable } from '../render/table.js';
import { clip, runAdmin } from './format.js';
import { connectArgs, jsonArg, printJson, type AnyCommand, type CliContext } from './shared.js';

/** One entry of GET /v1/models. */
interface Model {
  id: string;
  owned_by: string;
  type?: string;
  model_id?: string;
  description?: string;
  pricing?: { input?: number; output?: number };
}

function price(pricing: Model['pricing']): string {
  if (!pricing || (pricing.input === undefined && pricing.output === undefined)) return '—';
  return `${pricing.input ?? '?'} / ${pricing.output ?? '?'}`;
}

function listCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'list', description: 'List the model aliases usable now, and the agent bots (llm-bawt status says why an alias is not usable)' },
    args: { ...jsonArg, ...connectArgs },
    async run({ args }) {
      await runAdmin(ctx, 'models list', args, () => undefined, async (_, api, terminal) => {
        const { data } = await api.get<{ data: Model[] }>('/v1/models');
        if (args.json) return printJson(terminal, data);
        if (data.length === 0) return terminal.out('no usable models (llm-bawt status says why)');
        const { style } = terminal;
        const rows = data.map((model) => [
          model.id,
          model.owned_by === 'llm-bawt-agent' ? 'agent bot' : (model.type ?? '—'),
          model.model_id ?? '—',
          price(model.pricing),
          clip(model.description ?? '', 50),
        ]);
        terminal.out(renderTable(['ALIAS', 'PROVIDER', 'MODEL', 'USD/MTOK IN / OUT', 'DESCRIPTION'], rows, { style, maxWidth: terminal.tableWidth, keep: [0] }));
      });
    },
  });
}

/** `llm-bawt models list`. @public */
export function modelsCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'models', description: 'List model aliases' },
    subCommands: { list: listCommand(ctx) },
  });
}
