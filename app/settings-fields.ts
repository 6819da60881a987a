import { z } from 'zod';
import { configSchema } from '../server-core/index.js';
import type { SettingsField } from './contract.js';

interface JsonSchemaNode {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
}

/** The settings form, derived from the one config schema: every leaf key with its type, default and doc. */
export function settingsFields(): SettingsField[] {
  const root = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const fields: SettingsField[] = [];
  const walk = (node: JsonSchemaNode, path: string[]) => {
    if (node.type === 'object' && node.properties) {
      for (const [name, child] of Object.entries(node.properties)) walk(child, [...path, name]);
      return;
    }
    fields.push({
      key: path.join('.'),
      type: fieldType(node),
      description: node.description ?? '',
      default: node.default,
      options: node.enum?.map(String),
    });
  };
  walk(root, []);
  return fields;
}

function fieldType(node: JsonSchemaNode): SettingsField['type'] {
  if (node.enum) return 'enum';
  if (node.type === 'integer' || node.type === 'number') return 'number';
  if (node.type === 'boolean') return 'boolean';
  if (node.type === 'array') return 'list';
  if (node.type === 'string') return 'string';
  return 'object';
}
