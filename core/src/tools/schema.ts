import { toJsonSchema } from '@valibot/to-json-schema';
import type { ToolDefinition, ToolSpec } from '@llm-bawt/sdk';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };

const specs = new WeakMap<ToolDefinition, ToolSpec>();

/** The JSON schema of a tool's input, converted once per tool (valibot features JSON Schema lacks are dropped). */
function parametersOf(tool: ToolDefinition): JsonSchema {
  const { $schema: _dialect, ...schema } = toJsonSchema(tool.input, { errorMode: 'ignore' }) as JsonSchema;
  return schema.type === 'object' ? schema : { type: 'object', properties: {} };
}

/** The OpenAI function tool for a server tool; cached per tool definition. */
export function toolSpec(tool: ToolDefinition): ToolSpec {
  let spec = specs.get(tool);
  if (!spec) {
    spec = { type: 'function', function: { name: tool.name, description: tool.description, parameters: parametersOf(tool) } };
    specs.set(tool, spec);
  }
  return spec;
}

/** Property names of a function tool's parameters. */
export function propertyNames(spec: ToolSpec): Set<string> {
  const properties = (spec.function.parameters as JsonSchema | undefined)?.properties;
  return new Set(properties ? Object.keys(properties) : []);
}

function typeOf(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.type === 'array') {
    const items = schema.items as Record<string, unknown> | undefined;
    return `array of ${items ? typeOf(items) : 'any'}`;
  }
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Record<string, unknown>[]).map(typeOf).join(' | ');
  return typeof schema.type === 'string' ? schema.type : 'any';
}

/** One line per parameter, for the ReAct prompt: `name (type, required): description [default: x]`. */
export function describeParameters(spec: ToolSpec): string[] {
  const parameters = spec.function.parameters as JsonSchema | undefined;
  const required = new Set(parameters?.required ?? []);
  return Object.entries(parameters?.properties ?? {}).map(([name, schema]) => {
    const bits = [typeOf(schema), required.has(name) ? 'required' : 'optional'];
    const description = typeof schema.description === 'string' ? `: ${schema.description}` : '';
    const fallback = schema.default !== undefined ? ` [default: ${JSON.stringify(schema.default)}]` : '';
    return `${name} (${bits.join(', ')})${description}${fallback}`;
  });
}
