// Writes docs/mcp-tools.md, the reference of every MCP tool:
// `node --import jiti/register scripts/gen-mcp-tools-doc.ts`. The plugins are read from source.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyPlugin } from '@llm-bawt/sdk';
import type { McpToolEntry } from '@llm-bawt/plugin-transport-mcp';

type Mcp = typeof import('@llm-bawt/plugin-transport-mcp');
type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; default?: unknown; description?: string; enum?: unknown[]; items?: JsonSchema; anyOf?: JsonSchema[]; const?: unknown };

/** The plugins whose tool-loop tools the MCP server also serves. */
export const TOOL_PLUGINS = ['tools-core', 'memory-history', 'memory-semantic', 'memory-profile'] as const;

const FAMILY_TITLES: Record<string, string> = {
  memory: 'Memory (semantic memories)',
  messages: 'Messages (conversation history)',
  summaries: 'Summaries',
  sessions: 'Sessions (threads)',
  profile: 'Profiles',
  system: 'System',
  bots: 'Bot-to-bot messaging',
  self: 'Self and continuity',
  tasks: 'Tasks',
  steps: 'Task steps',
  projects: 'Projects',
  activity: 'Activity',
  tools: 'Other tool-loop tools',
};

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map(typeOf).join(' | ');
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'any'}`;
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (schema.type === 'object' && schema.properties) return `object {${Object.keys(schema.properties).join(', ')}}`;
  return schema.type ?? 'any';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function hints(annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean }): string {
  const parts = [annotations.readOnlyHint ? 'read-only' : annotations.destructiveHint ? 'destructive' : 'writes'];
  if (annotations.idempotentHint) parts.push('idempotent');
  return parts.join(', ');
}

function needsOf(entry: McpToolEntry): string {
  const plugins = [...new Set([entry.pluginId === 'transport-mcp' ? undefined : entry.pluginId, ...entry.needs.map((ref) => ref.id.split('.')[0])].filter(Boolean))];
  return plugins.length > 0 ? plugins.map((p) => `\`${p}\``).join(', ') : 'transport-mcp alone';
}

function toolSection(mcp: Mcp, entry: McpToolEntry): string {
  const schema = mcp.inputSchemaOf(entry) as JsonSchema;
  const annotations = mcp.annotationsOf(entry);
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== 'bot_id' && name !== 'user_id')
    .map(([name, prop]) => {
      const fallback = prop.default !== undefined ? `\`${JSON.stringify(prop.default)}\`` : '';
      return `| \`${name}\` | ${cell(typeOf(prop))} | ${required.has(name) ? 'yes' : ''} | ${fallback} | ${cell(prop.description ?? '')} |`;
    });
  const params = rows.length > 0 ? ['| Parameter | Type | Required | Default | Description |', '|---|---|---|---|---|', ...rows].join('\n') : 'No parameters besides `bot_id` and `user_id`.';
  return `### \`${entry.tool.name}\`

${entry.tool.description}

- Annotations: ${hints(annotations)} (\`readOnlyHint: ${annotations.readOnlyHint}\`, \`destructiveHint: ${annotations.destructiveHint}\`${annotations.idempotentHint !== undefined ? `, \`idempotentHint: ${annotations.idempotentHint}\`` : ''})
- Needs: ${needsOf(entry)}${entry.gate === 'memory' ? '; `bot_id` must name a bot that keeps memory' : entry.gate === 'search' ? '; `bot_id` must name a bot that searches (`uses_search`)' : ''}

${params}

<details><summary>Input schema</summary>

\`\`\`json
${JSON.stringify(schema, null, 2)}
\`\`\`

</details>
`;
}

/** The Markdown reference of every MCP tool: the MCP-only families and the tool loop's tools. */
export function renderMcpToolsDoc(mcp: Mcp, plugins: readonly AnyPlugin[]): string {
  const contributed = mcp.contributedEntries({ tools: plugins.flatMap((plugin) => (plugin.contributes?.tools ?? []).map((value) => ({ pluginId: plugin.id, value }))) });
  const entries = [...contributed, ...mcp.MCP_TOOLS];
  const sections = mcp.FAMILIES.map((family) => {
    const tools = entries.filter((e) => e.family === family).sort((a, b) => (a.pluginId === 'transport-mcp' ? 1 : 0) - (b.pluginId === 'transport-mcp' ? 1 : 0));
    if (tools.length === 0) return '';
    return `## ${FAMILY_TITLES[family] ?? family}\n\n${tools.map((entry) => toolSection(mcp, entry)).join('\n')}`;
  }).filter(Boolean);
  const index = mcp.FAMILIES.map((family) => {
    const names = entries.filter((e) => e.family === family).map((e) => `\`${e.tool.name}\``);
    return names.length > 0 ? `| ${FAMILY_TITLES[family] ?? family} | ${names.length} | ${names.join(', ')} |` : '';
  }).filter(Boolean);
  return `# MCP tools

Every tool the MCP server (\`@llm-bawt/plugin-transport-mcp\`, see [mcp.md](mcp.md)) can serve:
${entries.length} tools when every plugin below is loaded. A tool whose plugin is not loaded is
left out of \`tools/list\`; \`disabledTools\` and \`crossBotSearch: false\` leave out more.

Every tool also takes two arguments, added by the server and left out of the tables below:

| Parameter | Type | Default | Description |
|---|---|---|---|
| \`bot_id\` | string | the host's default bot | The bot to act as: its memory, its history, its profile. Must exist. |
| \`user_id\` | string | \`default\` (\`defaultUser\`) | The user whose data this is. Nothing crosses users; tasks and projects are shared by every bot working for the same user. |

Tools marked *destructive* remove or replace data; *read-only* tools change nothing. A call with
arguments that fail the schema gets an error result (\`isError: true\`) naming each invalid path,
and nothing is written.

| Family | Tools | Names |
|---|---|---|
${index.join('\n')}

${sections.join('\n')}
This page is generated by \`scripts/gen-mcp-tools-doc.ts\`; a test keeps it in step with the tools.
`;
}

if (process.argv[1]?.endsWith('gen-mcp-tools-doc.ts')) {
  // Plugins load from source through jiti, with workspace packages mapped to their sources.
  const { createJiti } = await import('jiti');
  const root = join(import.meta.dirname, '..');
  const alias: Record<string, string> = { '@llm-bawt/sdk': join(root, 'sdk/src/index.ts') };
  for (const id of ['transport-mcp', 'store-postgres', 'memory-history', 'memory-semantic', 'memory-profile', 'memory-sessions', 'memory-summaries', 'tools-core']) {
    alias[`@llm-bawt/plugin-${id}`] = join(root, `plugins/${id}/src/index.ts`);
  }
  const jiti = createJiti(import.meta.url, { alias });
  const mcp = await jiti.import<Mcp>('@llm-bawt/plugin-transport-mcp');
  const plugins = await Promise.all(TOOL_PLUGINS.map((id) => jiti.import<AnyPlugin>(`@llm-bawt/plugin-${id}`, { default: true })));
  writeFileSync(join(root, 'docs', 'mcp-tools.md'), renderMcpToolsDoc(mcp, plugins));
}
