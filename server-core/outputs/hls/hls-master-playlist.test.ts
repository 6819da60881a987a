import { describe, expect, it } from 'vitest';
import { renderMasterPlaylist } from './hls-master-playlist.js';

describe('renderMasterPlaylist', () => {
  it('lists each variant with BANDWIDTH, RESOLUTION and CODECS, highest bandwidth first', () => {
    const text = renderMasterPlaylist([
      { uri: 'cam_360p.m3u8', bandwidth: 800_000, width: 640, height: 360, codecs: 'avc1.64001e,mp4a.40.2' },
      { uri: 'cam_source.m3u8', bandwidth: 4_200_000, width: 1280, height: 720, codecs: 'avc1.64001f,mp4a.40.2' },
      { uri: 'cam_audio.m3u8', bandwidth: 130_000 },
    ]);
    expect(text.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-STREAM-INF:BANDWIDTH=4200000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
      'cam_source.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"',
      'cam_360p.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=130000',
      'cam_audio.m3u8',
      '',
    ]);
  });
});
