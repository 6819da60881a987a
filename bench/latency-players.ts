/**
 * The players the latency benchmark compares, one entry per protocol: the URL it plays and the page script that
 * starts it on `<video id="v">` (the measuring script is shared). A protocol is one more entry.
 */
export interface LatencyPlayer {
  label: string;
  /** Scripts the page loads first (served by the benchmark's page server from node_modules). */
  libraries: string[];
  url(urls: { http: string; api: string }, app: string, stream: string): string;
  /** Plays `src` (a global of the page) into the video element `video`. */
  start: string;
}

export const LATENCY_PLAYERS: Record<string, LatencyPlayer> = {
  'ts-hls': {
    label: 'HLS (MPEG-TS, 2 s segments), hls.js defaults',
    libraries: ['/hls.js'],
    url: ({ http }, app, stream) => `${http}/${app}/${stream}.m3u8`,
    start: 'const hls = new Hls(); hls.loadSource(src); hls.attachMedia(video);',
  },
  'll-hls': {
    label: 'LL-HLS (fMP4, parts of --part seconds), hls.js defaults (lowLatencyMode)',
    libraries: ['/hls.js'],
    url: ({ http }, app, stream) => `${http}/${app}/${stream}/index.m3u8`,
    start: 'const hls = new Hls({ lowLatencyMode: true }); hls.loadSource(src); hls.attachMedia(video);',
  },
  'http-flv': {
    label: 'HTTP-FLV, mpegts.js as the app preview runs it (latency chasing)',
    libraries: ['/mpegts.js'],
    url: ({ http }, app, stream) => `${http}/${app}/${stream}.flv`,
    start: `const player = mpegts.createPlayer({ type: 'flv', isLive: true, url: src, hasAudio: false, hasVideo: true },
      { enableWorker: false, liveBufferLatencyChasing: true, lazyLoad: false });
      player.attachMediaElement(video); player.load(); player.play();`,
  },
  webrtc: {
    label: 'WebRTC (WHEP), Chromium RTCPeerConnection',
    libraries: [],
    url: ({ api }, app, stream) => `${api}/rtc/v1/whep/?app=${app}&stream=${stream}`,
    start: `const pc = new RTCPeerConnection({ iceServers: [] });
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.ontrack = (e) => { video.srcObject = e.streams[0] || new MediaStream([e.track]); video.play(); };
      pc.createOffer().then((offer) => pc.setLocalDescription(offer))
        .then(() => fetch(src, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp }))
        .then((r) => r.text()).then((sdp) => pc.setRemoteDescription({ type: 'answer', sdp }));`,
  },
};
