import { describe, expect, it } from 'vitest';
import { ladderArgs, renditionsFor } from './abr-ladder.js';

const profile = {
  name: 'abr',
  renditions: [
    { name: 'source', height: 0, videoKbps: 4000 },
    { name: '720p', height: 720, videoKbps: 2800 },
    { name: '360p', height: 360, videoKbps: 700 },
  ],
};

describe('ABR ladder', () => {
  it('leaves out renditions as tall as the source (no upscaling), keeps the copy', () => {
    expect(renditionsFor(profile, 720).map((r) => r.name)).toEqual(['source', '360p']);
    expect(renditionsFor(profile, 1080).map((r) => r.name)).toEqual(['source', '720p', '360p']);
    expect(renditionsFor(profile, undefined).map((r) => r.name)).toEqual(['source', '720p', '360p']);
  });

  it('decodes once, splits into one scaler per encoded rendition and maps each to its output', () => {
    const { filter, outputs } = ladderArgs(profile.renditions, { preset: 'veryfast', audioKbps: 128, copyAudio: true });
    expect(filter).toBe('[0:v:0]split=2[s0][s1];[s0]scale=-2:720[v0];[s1]scale=-2:360[v1]');
    expect(outputs[0].options).toEqual(expect.arrayContaining(['-c:v', 'copy']));
    const mapOf = (options: string[]) => options[options.indexOf('-map') + 1];
    expect(outputs.map((o) => mapOf(o.options))).toEqual(['0:v:0', '[v0]', '[v1]']);
    expect(outputs[2].options.join(' ')).toContain('-b:v 700k -maxrate 700k -bufsize 1400k -force_key_frames source');
  });

  it('encodes audio to AAC when the source audio cannot go into FLV as it is', () => {
    const { filter, outputs } = ladderArgs([profile.renditions[2]], {
      preset: 'veryfast',
      audioKbps: 96,
      copyAudio: false,
    });
    expect(filter).toBe('[0:v:0]scale=-2:360[v0]');
    expect(outputs[0].options.join(' ')).toContain('-c:a aac -b:a 96k');
  });
});
