import Hls from 'hls.js';
import mpegts from 'mpegts.js';
import { useEffect, useRef, useState } from 'react';

/** The app's PREVIEW_QUERY_FLAG (app/contract.ts): the server does not count such a reader as a viewer. */
const PREVIEW_FLAG = 'tally_preview';

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

/**
 * A muted live preview: mpegts.js over HTTP-FLV (low delay), falling back to hls.js when MSE FLV playback fails.
 */
export function LivePreview(props: { flvUrl?: string; hlsUrl?: string }) {
  const flvUrl = local(props.flvUrl);
  const hlsUrl = local(props.hlsUrl);
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    let teardown = () => {};
    const startHls = () => {
      if (!hlsUrl || !Hls.isSupported()) {
        setFailed(true);
        return;
      }
      const hls = new Hls({ liveSyncDurationCount: 2 });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) setFailed(true);
      });
      hls.loadSource(hlsUrl);
      hls.attachMedia(element);
      teardown = () => hls.destroy();
    };
    if (flvUrl && mpegts.isSupported()) {
      const player = mpegts.createPlayer(
        { type: 'flv', isLive: true, url: flvUrl, hasAudio: true, hasVideo: true },
        { enableWorker: false, liveBufferLatencyChasing: true, lazyLoad: false },
      );
      player.on(mpegts.Events.ERROR, () => {
        player.destroy();
        startHls();
      });
      player.attachMediaElement(element);
      player.load();
      void Promise.resolve(player.play()).catch(() => {});
      teardown = () => player.destroy();
    } else {
      startHls();
    }
    return () => teardown();
  }, [flvUrl, hlsUrl]);

  return (
    <div className="preview">
      <video ref={video} data-testid="stream-preview" muted autoPlay playsInline aria-label="Live preview (muted)" />
      {failed && <div className="preview-error">Preview unavailable</div>}
    </div>
  );
}
