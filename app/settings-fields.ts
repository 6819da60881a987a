import { z } from 'zod';
import { configSchema } from '../server-core/index.js';
import type { SettingsField } from './contract.js';

interface JsonSchemaNode {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
}

/**
 * What saving a change restarts (see TallyServer.reconfigure and Controller.apply): everything else is applied in
 * place without dropping anyone.
 */
const RESTARTS: Array<[RegExp, string]> = [
  [/^vhost$/, 'Restarts the server: OBS and every player reconnect.'],
  [/^(rtmp|http|hls|dash)\.enabled$/, 'Restarts the server: OBS and every player reconnect.'],
  [/^rtmp\./, 'Restarts the RTMP listener: OBS reconnects.'],
  [/^http\.(host|port)$/, 'Moves the player listener: players reconnect on the new address.'],
  [/^api\./, 'Restarts the server and moves this dashboard: the page reconnects.'],
  [/^edge\./, 'Ends the streams pulled from the origin: their players reconnect.'],
  [/^gb28181\./, 'Restarts GB28181: cameras register again and their streams restart.'],
];

/** Keys with a page of their own (the Destinations page keeps stream keys masked). */
const MANAGED_ELSEWHERE = new Set(['forward.destinations']);

/** Units read off the key name, or off a description that says "in seconds" / "seconds". */
function unitOf(key: string, description: string): string | undefined {
  const leaf = key.split('.').pop() ?? '';
  if (/Ms$/.test(leaf)) return 'ms';
  if (/Mb$/.test(leaf)) return 'MB';
  if (/Bytes$/.test(leaf)) return 'bytes';
  if (/Kbps$/.test(leaf)) return 'kbps';
  if (/\bseconds?\b/i.test(description)) return 's';
  return undefined;
}

/** The settings form, derived from the one config schema: every leaf key with its type, default, doc and unit. */
export function settingsFields(): SettingsField[] {
  const root = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const fields: SettingsField[] = [];
  const walk = (node: JsonSchemaNode, path: string[]) => {
    if (node.type === 'object' && node.properties) {
      for (const [name, child] of Object.entries(node.properties)) walk(child, [...path, name]);
      return;
    }
    const key = path.join('.');
    if (MANAGED_ELSEWHERE.has(key)) return;
    fields.push(field(key, node, RESTARTS.find(([pattern]) => pattern.test(key))?.[1]));
  };
  walk(root, []);
  return fields;
}

function field(key: string, node: JsonSchemaNode, restart?: string): SettingsField {
  const description = node.description ?? '';
  const type = fieldType(node);
  const out: SettingsField = { key, type, description, default: node.default, options: node.enum?.map(String) };
  if (type === 'number') {
    const unit = unitOf(key, description);
    if (unit) out.unit = unit;
    if (node.minimum !== undefined) out.minimum = node.minimum;
    if (node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER) out.maximum = node.maximum;
  }
  if (type === 'list' && node.items) {
    const item = node.items;
    if (item.type === 'object' && item.properties) {
      out.items = {
        type: 'object',
        fields: Object.entries(item.properties).map(([name, child]) => field(name, child)),
      };
    } else out.items = { type: item.type === 'number' || item.type === 'integer' ? 'number' : 'string' };
  }
  if (restart) out.restart = restart;
  return out;
}

function fieldType(node: JsonSchemaNode): SettingsField['type'] {
  if (node.enum) return 'enum';
  if (node.type === 'integer' || node.type === 'number') return 'number';
  if (node.type === 'boolean') return 'boolean';
  if (node.type === 'array') return 'list';
  if (node.type === 'string') return 'string';
  return 'object';
}
