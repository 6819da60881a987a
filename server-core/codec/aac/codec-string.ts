/** RFC 6381 codecs parameter for MPEG-4 audio: 'mp4a.40.' + object type (mp4a.40.2 for AAC-LC, .5 HE, .29 HEv2). */
export function aacCodecString(objectType: number): string {
  return `mp4a.40.${objectType}`;
}
