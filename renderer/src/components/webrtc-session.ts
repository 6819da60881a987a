/**
 * WHIP/WHEP from the page: one RTCPeerConnection signalled by a POST of the offer (201 + answer + Location) and
 * ended by a DELETE of the Location. No STUN server: the server announces its own addresses.
 */
export interface WebRtcSession {
  pc: RTCPeerConnection;
  stop: () => void;
}

async function signal(url: string, pc: RTCPeerConnection): Promise<string> {
  await pc.setLocalDescription(await pc.createOffer());
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp' },
    body: pc.localDescription?.sdp ?? '',
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`${response.status}: ${text.trim() || response.statusText}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  const location = response.headers.get('Location');
  return location ? new URL(location, url).toString() : '';
}

function session(pc: RTCPeerConnection, resource: string): WebRtcSession {
  let stopped = false;
  return {
    pc,
    stop: () => {
      if (stopped) return;
      stopped = true;
      pc.close();
      if (resource) void fetch(resource, { method: 'DELETE' }).catch(() => {});
    },
  };
}

/** A connection that went 'disconnected' gets this long to come back (itself, or after an ICE restart). */
const RECONNECT_GRACE_MS = 5000;

/**
 * ICE restart over WHIP/WHEP (RFC 9725 4.4): a new offer's credentials PATCHed to the session, the server's new
 * ones put into the previous answer. For a network that changed under a live session; false if it could not.
 */
export async function restartIce(pc: RTCPeerConnection, resource: string): Promise<boolean> {
  const previous = pc.currentRemoteDescription?.sdp;
  if (!resource || !previous) return false;
  pc.restartIce();
  await pc.setLocalDescription(await pc.createOffer());
  const offer = pc.localDescription?.sdp ?? '';
  const ufrag = /a=ice-ufrag:(\S+)/.exec(offer)?.[1];
  const pwd = /a=ice-pwd:(\S+)/.exec(offer)?.[1];
  if (!ufrag || !pwd) return false;
  const response = await fetch(resource, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*' },
    body: `a=ice-ufrag:${ufrag}\r\na=ice-pwd:${pwd}\r\n`,
  });
  const fragment = await response.text();
  const ours = { ufrag: /a=ice-ufrag:(\S+)/.exec(fragment)?.[1], pwd: /a=ice-pwd:(\S+)/.exec(fragment)?.[1] };
  if (response.status !== 200 || !ours.ufrag || !ours.pwd) return false;
  const answer = previous
    .replace(/a=ice-ufrag:\S+/g, `a=ice-ufrag:${ours.ufrag}`)
    .replace(/a=ice-pwd:\S+/g, `a=ice-pwd:${ours.pwd}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  return true;
}

/**
 * Calls onLost once when a playing session is over: the connection failed or closed (the server ended it), or
 * stayed disconnected through one ICE restart and the grace period. Returns the teardown of the watch.
 */
function watchConnection(pc: RTCPeerConnection, resource: string, onLost: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let done = false;
  const lost = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    onLost();
  };
  const onState = () => {
    const state = pc.connectionState;
    if (state === 'failed' || state === 'closed') lost();
    else if (state === 'connected') {
      clearTimeout(timer);
      timer = undefined;
    } else if (state === 'disconnected' && timer === undefined) {
      timer = setTimeout(lost, RECONNECT_GRACE_MS);
      void restartIce(pc, resource).catch(() => false);
    }
  };
  const dtls = pc.getReceivers()[0]?.transport;
  const onDtls = () => {
    if (dtls?.state === 'closed' || dtls?.state === 'failed') lost();
  };
  pc.addEventListener('connectionstatechange', onState);
  dtls?.addEventListener('statechange', onDtls);
  return () => {
    done = true;
    clearTimeout(timer);
    pc.removeEventListener('connectionstatechange', onState);
    dtls?.removeEventListener('statechange', onDtls);
  };
}

/**
 * Plays a WHEP URL into a video element; rejects if no frame shows within timeoutMs (the caller falls back).
 * Once playing, onLost is called if the session ends or cannot be brought back.
 */
export async function playWhep(
  url: string,
  video: HTMLVideoElement,
  timeoutMs: number,
  onLost: () => void = () => {},
): Promise<WebRtcSession> {
  const pc = new RTCPeerConnection({ iceServers: [] });
  const media = new MediaStream();
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.ontrack = (event) => media.addTrack(event.track);
  let resource = '';
  try {
    resource = await signal(url, pc);
    video.srcObject = media;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no picture over WebRTC within ${timeoutMs} ms`)), timeoutMs);
      const shown = () => {
        clearTimeout(timer);
        resolve();
      };
      video.addEventListener('loadeddata', shown, { once: true });
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'failed') {
          clearTimeout(timer);
          reject(new Error('WebRTC connection failed'));
        }
      });
      void video.play().catch(() => {});
    });
    const s = session(pc, resource);
    const unwatch = watchConnection(pc, resource, onLost);
    return {
      pc,
      stop: () => {
        unwatch();
        s.stop();
      },
    };
  } catch (error) {
    session(pc, resource).stop();
    video.srcObject = null;
    throw error;
  }
}

/** Publishes the camera and microphone over WHIP; the returned stream is shown as a local preview. */
export async function publishWhip(url: string): Promise<WebRtcSession & { media: MediaStream }> {
  const media = await navigator.mediaDevices.getUserMedia({
    video: { width: 1280, height: 720, frameRate: 30 },
    audio: true,
  });
  const pc = new RTCPeerConnection({ iceServers: [] });
  for (const track of media.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [media] });
  try {
    const resource = await signal(url, pc);
    const s = session(pc, resource);
    return {
      ...s,
      media,
      stop: () => {
        s.stop();
        for (const track of media.getTracks()) track.stop();
      },
    };
  } catch (error) {
    pc.close();
    for (const track of media.getTracks()) track.stop();
    throw error;
  }
}
