/**
 * Header parameters (RFC 3261 25.1 generic-param): *( SEMI token [ EQUAL ( token / host / quoted-string ) ] ).
 * Names are kept lower-case; a parameter without value maps to ''. Quoted values are unquoted.
 */
export type SipParams = Map<string, string>;

/** Splits on a separator outside double quotes. */
export function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

export function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Parses `;a=1;b;c="x"` (the leading separator optional) into a map. */
export function parseParams(text: string, separator = ';'): SipParams {
  const params: SipParams = new Map();
  for (const part of splitOutsideQuotes(text, separator)) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) params.set(p.toLowerCase(), '');
    else params.set(p.slice(0, eq).trim().toLowerCase(), unquote(p.slice(eq + 1)));
  }
  return params;
}

/** `;a=1;b` from a map; values that are not tokens are quoted. */
export function formatParams(params: SipParams): string {
  let out = '';
  for (const [name, value] of params) {
    if (value === '') out += `;${name}`;
    else out += `;${name}=${/^[A-Za-z0-9\-.!%*_+`'~:[\]]+$/.test(value) ? value : quote(value)}`;
  }
  return out;
}
