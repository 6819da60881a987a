import { SipError } from '../sip-error.js';
import { decodeManscdpBody } from './body-text.js';
import { childText, escapeXml, parseXml, type XmlElement } from './xml-lite.js';

/**
 * MANSCDP command bodies (GB/T 28181-2016 appendix A): a root of Query / Control / Notify / Response with
 * CmdType, SN and DeviceID, then command fields.
 *
 *   <?xml version="1.0" encoding="GB2312"?>
 *   <Notify><CmdType>Keepalive</CmdType><SN>43</SN><DeviceID>...</DeviceID><Status>OK</Status></Notify>
 *   <Query><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>...</DeviceID></Query>
 *   <Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>...</DeviceID><SumNum>2</SumNum>
 *     <DeviceList Num="2"><Item><DeviceID>...</DeviceID><Name>...</Name>...<Status>ON</Status></Item>...</DeviceList>
 *   </Response>
 *   <Response><CmdType>DeviceInfo</CmdType>...<Result>OK</Result><DeviceName/><Manufacturer/><Model/><Firmware/><Channel/></Response>
 */
export type ManscdpRoot = 'Query' | 'Control' | 'Notify' | 'Response';

interface Base {
  sn: number;
  deviceId: string;
}

export interface KeepaliveNotify extends Base {
  kind: 'keepalive';
  root: 'Notify';
  cmdType: 'Keepalive';
  status: string;
}

export interface CatalogQuery extends Base {
  kind: 'catalog-query';
  root: 'Query';
  cmdType: 'Catalog';
}

export interface DeviceInfoQuery extends Base {
  kind: 'device-info-query';
  root: 'Query';
  cmdType: 'DeviceInfo';
}

/** A catalog entry (appendix A.2.4.1 itemType): the fields we use typed, all simple fields in `fields`. */
export interface CatalogItem {
  deviceId: string;
  name?: string;
  manufacturer?: string;
  model?: string;
  owner?: string;
  civilCode?: string;
  address?: string;
  parental?: number;
  parentId?: string;
  registerWay?: number;
  secrecy?: number;
  ipAddress?: string;
  port?: number;
  /** ON / OFF (some devices write Online / Offline or OK). */
  status?: string;
  longitude?: number;
  latitude?: number;
  /** Every simple child element by tag name, as text (Info sub-elements excluded). */
  fields: Record<string, string>;
}

export interface CatalogResponse extends Base {
  kind: 'catalog';
  root: 'Response';
  cmdType: 'Catalog';
  /** Total items over all the MESSAGEs of this response (a device splits a big catalog). */
  sumNum: number;
  items: CatalogItem[];
}

export interface DeviceInfoResponse extends Base {
  kind: 'device-info';
  root: 'Response';
  cmdType: 'DeviceInfo';
  result?: string;
  deviceName?: string;
  manufacturer?: string;
  model?: string;
  firmware?: string;
  channel?: number;
}

/** Any other command: its simple fields as text. `kind` tells the variants apart. */
export interface OtherManscdp extends Base {
  kind: 'other';
  root: ManscdpRoot;
  cmdType: string;
  fields: Record<string, string>;
}

export type ManscdpMessage =
  | KeepaliveNotify
  | CatalogQuery
  | DeviceInfoQuery
  | CatalogResponse
  | DeviceInfoResponse
  | OtherManscdp;

/** Items read from one Catalog response; a bigger DeviceList is refused. */
export const MAX_CATALOG_ITEMS = 10_000;

const ROOTS: readonly ManscdpRoot[] = ['Query', 'Control', 'Notify', 'Response'];
const bad = (why: string) => new SipError('MANSCDP_INVALID', why);

function simpleFields(element: XmlElement): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const c of element.children) if (c.children.length === 0 && !(c.name in fields)) fields[c.name] = c.text.trim();
  return fields;
}

const optionalNumber = (text: string | undefined) => {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
};

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Parses a MANSCDP body. Throws SipError('MANSCDP_INVALID' or 'SIP_TOO_LARGE') on anything else. */
export function parseManscdp(body: Buffer | string): ManscdpMessage {
  const text = typeof body === 'string' ? body : decodeManscdpBody(body);
  const root = parseXml(text);
  const rootName = ROOTS.find((r) => r.toLowerCase() === root.name.toLowerCase());
  if (!rootName) throw bad(`root <${root.name}>`);
  const cmdType = childText(root, 'CmdType');
  if (!cmdType) throw bad('no CmdType');
  const sn = Number(childText(root, 'SN'));
  if (!Number.isInteger(sn) || sn < 0) throw bad(`SN ${childText(root, 'SN')}`);
  const deviceId = childText(root, 'DeviceID');
  if (!deviceId) throw bad('no DeviceID');
  const base = { sn, deviceId };
  const command = cmdType.toLowerCase();
  if (rootName === 'Notify' && command === 'keepalive') {
    return {
      kind: 'keepalive',
      root: 'Notify',
      cmdType: 'Keepalive',
      ...base,
      status: childText(root, 'Status') ?? '',
    };
  }
  if (rootName === 'Query' && command === 'catalog')
    return { kind: 'catalog-query', root: 'Query', cmdType: 'Catalog', ...base };
  if (rootName === 'Query' && command === 'deviceinfo')
    return { kind: 'device-info-query', root: 'Query', cmdType: 'DeviceInfo', ...base };
  if (rootName === 'Response' && command === 'catalog') return catalogResponse(root, base);
  if (rootName === 'Response' && command === 'deviceinfo') {
    const r: DeviceInfoResponse = { kind: 'device-info', root: 'Response', cmdType: 'DeviceInfo', ...base };
    assign(r, 'result', childText(root, 'Result'));
    assign(r, 'deviceName', childText(root, 'DeviceName'));
    assign(r, 'manufacturer', childText(root, 'Manufacturer'));
    assign(r, 'model', childText(root, 'Model'));
    assign(r, 'firmware', childText(root, 'Firmware'));
    assign(r, 'channel', optionalNumber(childText(root, 'Channel')));
    return r;
  }
  return { kind: 'other', root: rootName, cmdType, ...base, fields: simpleFields(root) };
}

function catalogResponse(root: XmlElement, base: Base): CatalogResponse {
  const list = root.children.find((c) => c.name.toLowerCase() === 'devicelist');
  const elements = list ? list.children.filter((c) => c.name.toLowerCase() === 'item') : [];
  if (elements.length > MAX_CATALOG_ITEMS) throw new SipError('SIP_TOO_LARGE', `${elements.length} catalog items`);
  const items = elements.map((e): CatalogItem => {
    const fields = simpleFields(e);
    const get = (name: string) => childText(e, name);
    const deviceId = get('DeviceID');
    if (!deviceId) throw bad('catalog Item without DeviceID');
    const item: CatalogItem = { deviceId, fields };
    assign(item, 'name', get('Name'));
    assign(item, 'manufacturer', get('Manufacturer'));
    assign(item, 'model', get('Model'));
    assign(item, 'owner', get('Owner'));
    assign(item, 'civilCode', get('CivilCode'));
    assign(item, 'address', get('Address'));
    assign(item, 'parental', optionalNumber(get('Parental')));
    assign(item, 'parentId', get('ParentID'));
    assign(item, 'registerWay', optionalNumber(get('RegisterWay')));
    assign(item, 'secrecy', optionalNumber(get('Secrecy')));
    assign(item, 'ipAddress', get('IPAddress'));
    assign(item, 'port', optionalNumber(get('Port')));
    assign(item, 'status', get('Status'));
    assign(item, 'longitude', optionalNumber(get('Longitude')));
    assign(item, 'latitude', optionalNumber(get('Latitude')));
    return item;
  });
  const sumNum = optionalNumber(childText(root, 'SumNum')) ?? items.length;
  return { kind: 'catalog', root: 'Response', cmdType: 'Catalog', ...base, sumNum, items };
}

/** Writing: the declaration says GB2312 when the text is ASCII (what devices expect), UTF-8 otherwise. */
function document(root: ManscdpRoot, fields: [string, string | number | undefined][], extra = ''): Buffer {
  let xml = `<${root}>\r\n`;
  for (const [name, value] of fields)
    if (value !== undefined) xml += `<${name}>${escapeXml(String(value))}</${name}>\r\n`;
  xml += `${extra}</${root}>\r\n`;
  const ascii = /^[\x00-\x7f]*$/.test(xml);
  return Buffer.from(`<?xml version="1.0" encoding="${ascii ? 'GB2312' : 'UTF-8'}"?>\r\n${xml}`, 'utf8');
}

export function buildKeepalive(input: { sn: number; deviceId: string; status?: string }): Buffer {
  return document('Notify', [
    ['CmdType', 'Keepalive'],
    ['SN', input.sn],
    ['DeviceID', input.deviceId],
    ['Status', input.status ?? 'OK'],
  ]);
}

export function buildCatalogQuery(input: { sn: number; deviceId: string }): Buffer {
  return document('Query', [
    ['CmdType', 'Catalog'],
    ['SN', input.sn],
    ['DeviceID', input.deviceId],
  ]);
}

export function buildDeviceInfoQuery(input: { sn: number; deviceId: string }): Buffer {
  return document('Query', [
    ['CmdType', 'DeviceInfo'],
    ['SN', input.sn],
    ['DeviceID', input.deviceId],
  ]);
}

export type CatalogItemInput = Omit<CatalogItem, 'fields'> & { fields?: Record<string, string> };

const ITEM_ORDER: [keyof CatalogItemInput, string][] = [
  ['deviceId', 'DeviceID'],
  ['name', 'Name'],
  ['manufacturer', 'Manufacturer'],
  ['model', 'Model'],
  ['owner', 'Owner'],
  ['civilCode', 'CivilCode'],
  ['address', 'Address'],
  ['parental', 'Parental'],
  ['parentId', 'ParentID'],
  ['registerWay', 'RegisterWay'],
  ['secrecy', 'Secrecy'],
  ['ipAddress', 'IPAddress'],
  ['port', 'Port'],
  ['status', 'Status'],
  ['longitude', 'Longitude'],
  ['latitude', 'Latitude'],
];

export function buildCatalogResponse(input: {
  sn: number;
  deviceId: string;
  sumNum?: number;
  items: CatalogItemInput[];
}): Buffer {
  let list = `<DeviceList Num="${input.items.length}">\r\n`;
  for (const item of input.items) {
    list += '<Item>\r\n';
    const written = new Set<string>();
    for (const [key, tag] of ITEM_ORDER) {
      const value = item[key];
      if (value === undefined || typeof value === 'object') continue;
      list += `<${tag}>${escapeXml(String(value))}</${tag}>\r\n`;
      written.add(tag);
    }
    for (const [tag, value] of Object.entries(item.fields ?? {})) {
      if (written.has(tag) || !/^[A-Za-z_][\w.-]*$/.test(tag)) continue;
      list += `<${tag}>${escapeXml(value)}</${tag}>\r\n`;
    }
    list += '</Item>\r\n';
  }
  list += '</DeviceList>\r\n';
  return document(
    'Response',
    [
      ['CmdType', 'Catalog'],
      ['SN', input.sn],
      ['DeviceID', input.deviceId],
      ['SumNum', input.sumNum ?? input.items.length],
    ],
    list,
  );
}

export function buildDeviceInfoResponse(input: Omit<DeviceInfoResponse, 'kind' | 'root' | 'cmdType'>): Buffer {
  return document('Response', [
    ['CmdType', 'DeviceInfo'],
    ['SN', input.sn],
    ['DeviceID', input.deviceId],
    ['Result', input.result ?? 'OK'],
    ['DeviceName', input.deviceName],
    ['Manufacturer', input.manufacturer],
    ['Model', input.model],
    ['Firmware', input.firmware],
    ['Channel', input.channel],
  ]);
}
