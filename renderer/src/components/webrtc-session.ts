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

/** Plays a WHEP URL into a video element; rejects if no frame shows within timeoutMs (the caller falls back). */
export async function playWhep(url: string, video: HTMLVideoElement, timeoutMs: number): Promise<WebRtcSession> {
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
    return session(pc, resource);
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
