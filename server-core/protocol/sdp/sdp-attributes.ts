import type { SdpLine, SdpMediaSection, SessionDescription } from './session-description.js';

/**
 * Attribute access (RFC 8866 5.13): `a=<name>` or `a=<name>:<value>`. Names compare exactly (they are
 * lowercase in everything WebRTC sends).
 */
export function attributeName(line: SdpLine): string | undefined {
  if (line.type !== 'a') return undefined;
  const colon = line.value.indexOf(':');
  return colon < 0 ? line.value : line.value.slice(0, colon);
}

/** Values of every `a=<name>:<value>` line ('' for a flag attribute), in order. */
export function attributeValues(lines: SdpLine[], name: string): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.type !== 'a') continue;
    if (line.value === name) out.push('');
    else if (line.value.startsWith(name) && line.value[name.length] === ':')
      out.push(line.value.slice(name.length + 1));
  }
  return out;
}

export function attributeValue(lines: SdpLine[], name: string): string | undefined {
  return attributeValues(lines, name)[0];
}

export function hasAttribute(lines: SdpLine[], name: string): boolean {
  return attributeValue(lines, name) !== undefined;
}

/** A media-level attribute, or the session-level one when the section has none (ice-ufrag, fingerprint...). */
export function mediaOrSessionAttribute(
  sdp: SessionDescription,
  media: SdpMediaSection,
  name: string,
): string | undefined {
  return attributeValue(media.lines, name) ?? attributeValue(sdp.session, name);
}

export function attributeLine(name: string, value?: string): SdpLine {
  return { type: 'a', value: value === undefined ? name : `${name}:${value}` };
}
