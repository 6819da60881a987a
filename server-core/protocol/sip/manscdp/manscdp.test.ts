import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEEPALIVE_BODY } from '../fixtures.js';
import { SipError } from '../sip-error.js';
import { declaredEncoding, decodeManscdpBody } from './body-text.js';
import {
  buildCatalogQuery,
  buildCatalogResponse,
  buildDeviceInfoQuery,
  buildDeviceInfoResponse,
  buildKeepalive,
  type CatalogItemInput,
  parseManscdp,
} from './messages.js';
import { parseXml } from './xml-lite.js';

/** 摄像机 ("camera") in GB2312. */
const CAMERA_GB2312 = Buffer.from([0xc9, 0xe3, 0xcf, 0xf1, 0xbb, 0xfa]);

const catalogBody = Buffer.concat([
  Buffer.from(
    '<?xml version="1.0" encoding="GB2312"?>\r\n<Response>\r\n<CmdType>Catalog</CmdType>\r\n<SN>17430</SN>\r\n' +
      '<DeviceID>34020000001320000001</DeviceID>\r\n<SumNum>1</SumNum>\r\n<DeviceList Num="1">\r\n<Item>\r\n' +
      '<DeviceID>34020000001320000001</DeviceID>\r\n<Name>',
  ),
  CAMERA_GB2312,
  Buffer.from(
    ' 01</Name>\r\n<Manufacturer>Hikvision</Manufacturer>\r\n<Model>IP Camera</Model>\r\n<Owner>Owner</Owner>\r\n' +
      '<CivilCode>3402000000</CivilCode>\r\n<Address>Address</Address>\r\n<Parental>0</Parental>\r\n' +
      '<ParentID>34020000002000000001</ParentID>\r\n<SafetyWay>0</SafetyWay>\r\n<RegisterWay>1</RegisterWay>\r\n' +
      '<Secrecy>0</Secrecy>\r\n<Status>ON</Status>\r\n<Info>\r\n<PTZType>3</PTZType>\r\n</Info>\r\n</Item>\r\n' +
      '</DeviceList>\r\n</Response>\r\n',
  ),
]);

describe('MANSCDP bodies', () => {
  it('reads a keepalive Notify', () => {
    expect(parseManscdp(Buffer.from(KEEPALIVE_BODY))).toEqual({
      kind: 'keepalive',
      root: 'Notify',
      cmdType: 'Keepalive',
      sn: 43,
      deviceId: '34020000001320000001',
      status: 'OK',
    });
  });

  it('reads a GB2312 catalog response with a Chinese name', () => {
    expect(declaredEncoding(catalogBody)).toBe('GB2312');
    const m = parseManscdp(catalogBody);
    expect(m).toMatchObject({ root: 'Response', cmdType: 'Catalog', sn: 17430, sumNum: 1 });
    if (m.kind !== 'catalog') throw new Error('not a catalog');
    expect(m.items).toHaveLength(1);
    expect(m.items[0]).toMatchObject({
      deviceId: '34020000001320000001',
      name: '摄像机 01',
      manufacturer: 'Hikvision',
      parental: 0,
      parentId: '34020000002000000001',
      registerWay: 1,
      status: 'ON',
    });
    expect(m.items[0].fields.SafetyWay).toBe('0');
    expect(m.items[0].fields.Info).toBeUndefined();
  });

  it('decodes bodies whatever they declare: GB bytes declared UTF-8, UTF-8 declared GB2312, junk as latin1', () => {
    const gbAsUtf8 = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?><a>'),
      CAMERA_GB2312,
      Buffer.from('</a>'),
    ]);
    expect(parseXml(decodeManscdpBody(gbAsUtf8)).text).toBe('摄像机');
    const utf8AsGb = Buffer.from('<?xml version="1.0" encoding="GB2312"?><a>摄像机</a>', 'utf8');
    expect(parseXml(decodeManscdpBody(utf8AsGb)).text).toBe('摄像机');
    expect(typeof decodeManscdpBody(Buffer.from([0x3c, 0xff, 0xfe, 0x80, 0x3e]))).toBe('string');
  });

  it('reads queries and a DeviceInfo response, and other commands generically', () => {
    expect(parseManscdp(buildCatalogQuery({ sn: 1, deviceId: '34020000001320000001' }))).toEqual({
      kind: 'catalog-query',
      root: 'Query',
      cmdType: 'Catalog',
      sn: 1,
      deviceId: '34020000001320000001',
    });
    expect(parseManscdp(buildDeviceInfoQuery({ sn: 2, deviceId: 'd' }))).toMatchObject({
      root: 'Query',
      cmdType: 'DeviceInfo',
    });
    const info = {
      sn: 3,
      deviceId: 'd',
      result: 'OK',
      deviceName: 'IPC',
      manufacturer: 'Tally',
      model: 'Sim',
      firmware: 'V1.0',
      channel: 1,
    };
    expect(parseManscdp(buildDeviceInfoResponse(info))).toEqual({
      kind: 'device-info',
      root: 'Response',
      cmdType: 'DeviceInfo',
      ...info,
    });
    const status =
      '<?xml version="1.0"?><Response><CmdType>DeviceStatus</CmdType><SN>4</SN><DeviceID>d</DeviceID><Online>ONLINE</Online></Response>';
    expect(parseManscdp(status)).toMatchObject({ cmdType: 'DeviceStatus', fields: { Online: 'ONLINE' } });
  });

  it('writes a keepalive that devices read (GB2312 declaration for ASCII, UTF-8 otherwise)', () => {
    const ka = buildKeepalive({ sn: 43, deviceId: '34020000001320000001' });
    expect(ka.toString()).toBe(
      '<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>43</SN>\r\n' +
        '<DeviceID>34020000001320000001</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n',
    );
    const named = buildCatalogResponse({ sn: 1, deviceId: 'd', items: [{ deviceId: 'c', name: '摄像机' }] });
    expect(declaredEncoding(named)).toBe('UTF-8');
  });

  it('tolerates comments, CDATA, attributes, stray ampersands and trailing bytes', () => {
    const text =
      '<?xml version="1.0"?>\n<!-- hi --><Notify kind=\'x\'><CmdType>Keepalive</CmdType><SN>5</SN>' +
      '<DeviceID><![CDATA[dev<1>]]></DeviceID><Status>A & B &amp; C &#x41;</Status></Notify>\0\0garbage';
    expect(parseManscdp(text)).toEqual({
      kind: 'keepalive',
      root: 'Notify',
      cmdType: 'Keepalive',
      sn: 5,
      deviceId: 'dev<1>',
      status: 'A & B & C A',
    });
  });

  it('refuses garbage with SipError', () => {
    for (const text of [
      '',
      'hello',
      '<a><b></a>',
      '<Notify><CmdType>Keepalive</CmdType></Notify>',
      '<Other><CmdType>x</CmdType><SN>1</SN><DeviceID>d</DeviceID></Other>',
      '<Query><SN>1</SN></Query>',
      `${'<a>'.repeat(40)}`,
    ]) {
      expect(() => parseManscdp(text), text).toThrow(SipError);
    }
  });

  it('property: catalog responses round-trip, and truncations or random bytes throw only SipError', () => {
    const text = fc
      .string({ maxLength: 20 })
      .map((s) => s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]/g, '').trim());
    const item = fc.record({
      deviceId: fc.stringMatching(/^\d{20}$/),
      name: fc.option(text, { nil: undefined }),
      status: fc.option(fc.constantFrom('ON', 'OFF'), { nil: undefined }),
      parental: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 5 }),
        fc.nat(100_000),
        fc.nat(),
        fc.uint8Array({ maxLength: 200 }),
        (items, sn, cut, junk) => {
          const clean = items.map((i) =>
            Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined && v !== '')),
          ) as unknown as CatalogItemInput[];
          const body = buildCatalogResponse({ sn, deviceId: '34020000001320000001', items: clean });
          const parsed = parseManscdp(body);
          if (parsed.kind !== 'catalog') throw new Error('not a catalog');
          expect(parsed.items.map(({ fields: _f, ...rest }) => rest)).toEqual(clean);
          for (const bytes of [body.subarray(0, cut % body.length), Buffer.from(junk)]) {
            try {
              parseManscdp(bytes);
            } catch (err) {
              expect(err).toBeInstanceOf(SipError);
            }
          }
        },
      ),
    );
  });
});
