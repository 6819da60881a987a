import { useEffect, useRef, useState } from 'react';
import { publishWhip, type WebRtcSession } from './webrtc-session';

/** The WHIP URL on the host this page reaches (the listed one may name a LAN address). */
function reachable(url: string): string {
  const parsed = new URL(url);
  parsed.hostname = location.protocol.startsWith('http') ? location.hostname : '127.0.0.1';
  return parsed.toString();
}

/**
 * "Publish from this browser": camera and microphone over WHIP to the stream's WHIP URL, with a local preview
 * and a stop button. Browsers allow the camera only on https or on localhost: the error says so.
 */
export function BrowserPublish({ whipUrl }: { whipUrl: string }) {
  const [state, setState] = useState<'idle' | 'starting' | 'live'>('idle');
  const [error, setError] = useState<string>();
  const session = useRef<WebRtcSession & { media: MediaStream }>(undefined);
  const preview = useRef<HTMLVideoElement>(null);

  useEffect(() => () => session.current?.stop(), []);

  const start = async () => {
    setError(undefined);
    if (!window.isSecureContext || !navigator.mediaDevices) {
      setError('The camera needs https or localhost: open this console at http://localhost:1985/console/ instead.');
      return;
    }
    setState('starting');
    try {
      const s = await publishWhip(reachable(whipUrl));
      session.current = s;
      if (preview.current) preview.current.srcObject = s.media;
      s.pc.addEventListener('connectionstatechange', () => {
        if (s.pc.connectionState === 'failed') {
          setError('The WebRTC connection failed (is the WebRTC port reachable?)');
          stop();
        }
      });
      setState('live');
    } catch (e) {
      setError((e as Error).message);
      setState('idle');
    }
  };

  const stop = () => {
    session.current?.stop();
    session.current = undefined;
    if (preview.current) preview.current.srcObject = null;
    setState('idle');
  };

  return (
    <div className="browser-publish" data-testid="browser-publish" data-state={state}>
      <div className="row">
        {state === 'live' ? (
          <button type="button" className="button danger" onClick={stop}>
            Stop publishing
          </button>
        ) : (
          <button type="button" className="button" disabled={state === 'starting'} onClick={() => void start()}>
            {state === 'starting' ? 'Starting…' : 'Publish from this browser (camera + mic)'}
          </button>
        )}
        {state === 'live' && <span className="live-badge">● Live from this browser</span>}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="preview" hidden={state !== 'live'}>
        <video ref={preview} muted autoPlay playsInline aria-label="Camera preview" />
      </div>
    </div>
  );
}
