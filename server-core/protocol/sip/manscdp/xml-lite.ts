import { SipError } from '../sip-error.js';

/**
 * A small, tolerant reader for the XML subset MANSCDP bodies use (GB/T 28181-2016 appendix A; XML 1.0):
 * elements with attributes, text, self-closing tags, comments, CDATA, the five predefined entities and
 * numeric character references. The declaration, processing instructions and DOCTYPE are skipped; a
 * stray '&' is kept as text; anything after the root element is ignored. No namespaces, no DTDs.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content directly inside this element, entities decoded, not trimmed. */
  text: string;
}

export const MAX_XML_DEPTH = 16;
export const MAX_XML_ELEMENTS = 50_000;

const NAME = /[A-Za-z_][\w.:-]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const bad = (why: string) => new SipError('MANSCDP_INVALID', why);

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]{1,6}|#\d{1,7}|[A-Za-z]{2,4});/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c)};`);
}

/** The root element of a document. Throws SipError('MANSCDP_INVALID') when there is none or tags do not nest. */
export function parseXml(text: string): XmlElement {
  let at = 0;
  let elements = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipTo = (end: string, what: string) => {
    const i = text.indexOf(end, at);
    if (i < 0) throw bad(`unterminated ${what}`);
    at = i + end.length;
  };
  while (at < text.length && !root) {
    const lt = text.indexOf('<', at);
    const top = stack[stack.length - 1];
    if (lt < 0) {
      if (top) throw bad(`unclosed <${top.name}>`);
      break;
    }
    if (top) top.text += decodeEntities(text.slice(at, lt));
    at = lt;
    if (text.startsWith('<?', at)) skipTo('?>', 'processing instruction');
    else if (text.startsWith('<!--', at)) skipTo('-->', 'comment');
    else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at);
      if (end < 0) throw bad('unterminated CDATA');
      if (top) top.text += text.slice(at + 9, end);
      at = end + 3;
    } else if (text.startsWith('<!', at)) skipTo('>', 'declaration');
    else if (text.startsWith('</', at)) {
      NAME.lastIndex = at + 2;
      const m = NAME.exec(text);
      const close = text.indexOf('>', at);
      if (!m || close < 0) throw bad('bad closing tag');
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw bad(`</${m[0]}> closes <${open?.name ?? 'nothing'}>`);
      at = close + 1;
      if (stack.length === 0) root = open;
    } else {
      NAME.lastIndex = at + 1;
      const m = NAME.exec(text);
      if (!m) {
        if (!top) throw bad('text before the root element');
        top.text += '<';
        at++;
        continue;
      }
      if (++elements > MAX_XML_ELEMENTS) throw new SipError('SIP_TOO_LARGE', 'too many XML elements');
      const element: XmlElement = { name: m[0], attributes: {}, children: [], text: '' };
      at = NAME.lastIndex;
      const selfClosing = readAttributes(
        text,
        element,
        () => at,
        (n) => {
          at = n;
        },
      );
      if (top) top.children.push(element);
      if (selfClosing) {
        if (!top) root = element;
      } else {
        if (stack.length >= MAX_XML_DEPTH) throw new SipError('SIP_TOO_LARGE', 'XML nested too deep');
        stack.push(element);
      }
    }
  }
  if (!root) throw bad(stack.length > 0 ? `unclosed <${stack[stack.length - 1].name}>` : 'no root element');
  return root;
}

/** Reads attributes up to '>' or '/>'; returns whether the tag closed itself. */
function readAttributes(text: string, element: XmlElement, pos: () => number, set: (n: number) => void): boolean {
  const re = /\s*(?:([A-Za-z_][\w.:-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s>"'/]+)|(\/?>))/y;
  re.lastIndex = pos();
  for (;;) {
    const m = re.exec(text);
    if (!m) throw bad(`bad tag <${element.name}>`);
    if (m[3] !== undefined) {
      set(re.lastIndex);
      return m[3] === '/>';
    }
    const raw = m[2];
    element.attributes[m[1]] = decodeEntities(raw[0] === '"' || raw[0] === "'" ? raw.slice(1, -1) : raw);
  }
}

/** The first child with this name (case-insensitive: devices differ), or undefined. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  const lower = name.toLowerCase();
  return element.children.find((c) => c.name.toLowerCase() === lower);
}

/** Trimmed text of the first child with this name. */
export function childText(element: XmlElement, name: string): string | undefined {
  const c = child(element, name);
  return c === undefined ? undefined : c.text.trim();
}
