import Hls from 'hls.js';
import mpegts from 'mpegts.js';
import { useEffect, useRef, useState } from 'react';
import { playWhep } from './webrtc-session';

/** The app's PREVIEW_QUERY_FLAG (app/contract.ts): the server does not count such a reader as a viewer. */
const PREVIEW_FLAG = 'tally_preview';
/** A WebRTC preview that shows no picture by then falls back (a GOP of 2 s plus connection set-up). */
const WHEP_TIMEOUT_MS = 5000;
/** A preview that played and lost its stream tries again after this long. */
const RESTART_DELAY_MS = 1000;

/**
 * Previews fetch from the host this page already reaches (the play URLs name the LAN address, for sharing), and
 * say they are previews.
 */
function local(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  parsed.hostname = location.protocol.startsWith('http') ? location.hostname : '127.0.0.1';
  parsed.searchParams.set(PREVIEW_FLAG, '1');
  return parsed.toString();
}

type PlayerKind = 'whep' | 'll-hls' | 'flv' | 'hls';
/** Starts one kind of player on the element; resolves with its teardown, rejects when it cannot play. */
type StartPlayer = (element: HTMLVideoElement, url: string, onFatal: () => void) => Promise<() => void>;

const PLAYER_LABELS: Record<PlayerKind, string> = { whep: 'WebRTC', 'll-hls': 'LL-HLS', flv: 'FLV', hls: 'HLS' };

const PLAYERS: Record<PlayerKind, StartPlayer> = {
  whep: async (element, url, onFatal) => {
    if (typeof RTCPeerConnection === 'undefined') throw new Error('no WebRTC');
    const session = await playWhep(url, element, WHEP_TIMEOUT_MS, onFatal);
    return () => {
      session.stop();
      element.srcObject = null;
    };
  },
  flv: async (element, url, onFatal) => {
    if (!mpegts.isSupported()) throw new Error('no MSE');
    const player = mpegts.createPlayer(
      { type: 'flv', isLive: true, url, hasAudio: true, hasVideo: true },
      { enableWorker: false, liveBufferLatencyChasing: true, lazyLoad: false },
    );
    player.on(mpegts.Events.ERROR, onFatal);
    player.attachMediaElement(element);
    player.load();
    void Promise.resolve(player.play()).catch(() => {});
    return () => player.destroy();
  },
  'll-hls': (element, url, onFatal) => startHls(element, url, onFatal, { lowLatencyMode: true }),
  hls: (element, url, onFatal) => startHls(element, url, onFatal, { liveSyncDurationCount: 2 }),
};

async function startHls(
  element: HTMLVideoElement,
  url: string,
  onFatal: () => void,
  config: Partial<Hls['config']>,
): Promise<() => void> {
  if (!Hls.isSupported()) throw new Error('no MSE');
  const hls = new Hls(config);
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (data.fatal) onFatal();
  });
  hls.loadSource(url);
  hls.attachMedia(element);
  return () => hls.destroy();
}

/**
 * A muted live preview that tries the lowest-latency way first: WebRTC (WHEP, sub-second), then LL-HLS (hls.js
 * low-latency mode), then HTTP-FLV (mpegts.js), then HLS, each falling back to the next when it cannot connect or fails. The element says which
 * one plays (data-player).
 */
export function LivePreview(props: { whepUrl?: string; llHlsUrl?: string; flvUrl?: string; hlsUrl?: string }) {
  const candidates: Array<[PlayerKind, string | undefined]> = [
    ['whep', local(props.whepUrl)],
    ['ll-hls', local(props.llHlsUrl)],
    ['flv', local(props.flvUrl)],
    ['hls', local(props.hlsUrl)],
  ];
  const key = candidates.map(([, url]) => url ?? '').join(' ');
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const [playing, setPlaying] = useState<PlayerKind>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: the URLs (key) are what restarts the preview.
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    let cancelled = false;
    let teardown = () => {};
    let restart: ReturnType<typeof setTimeout> | undefined;
    const order = candidates.filter((c): c is [PlayerKind, string] => c[1] !== undefined);
    setFailed(false);
    const tryFrom = async (index: number): Promise<void> => {
      if (cancelled) return;
      if (index >= order.length) {
        setFailed(true);
        return;
      }
      const [kind, url] = order[index];
      let failedOver = false;
      // A player that never showed the stream gives way to the next kind; one that did and then lost it (the
      // server restarted, the session was ended) starts the chain over, WebRTC first.
      let shown = false;
      element.addEventListener(
        'playing',
        () => {
          shown = true;
        },
        { once: true },
      );
      const next = () => {
        if (failedOver || cancelled) return;
        failedOver = true;
        teardown();
        teardown = () => {};
        if (!shown) {
          void tryFrom(index + 1);
          return;
        }
        setPlaying(undefined);
        restart = setTimeout(() => void tryFrom(0), RESTART_DELAY_MS);
      };
      try {
        const stop = await PLAYERS[kind](element, url, next);
        if (cancelled) {
          stop();
          return;
        }
        teardown = stop;
        // WebRTC resolves only once a frame is shown.
        if (kind === 'whep') shown = true;
        if (!failedOver) setPlaying(kind);
      } catch {
        next();
      }
    };
    void tryFrom(0);
    return () => {
      cancelled = true;
      clearTimeout(restart);
      teardown();
    };
  }, [key]);

  return (
    <div className="preview">
      <video
        ref={video}
        data-testid="stream-preview"
        data-player={playing}
        muted
        autoPlay
        playsInline
        aria-label="Live preview (muted)"
      />
      {playing && <span className="preview-badge">{PLAYER_LABELS[playing]}</span>}
      {failed && <div className="preview-error">Preview unavailable</div>}
    </div>
  );
}
