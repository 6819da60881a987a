import { useEffect, useState } from 'react';
import type { GbDeviceSummary } from '../../../app/contract';
import { useBackend } from '../backend-context';
import { LivePreview } from '../components/live-preview';
import { dateTime } from '../format';
import { useTally } from '../store';

/**
 * GB28181 cameras and NVRs that registered: status (online, or why offline), where they are, their channels
 * and, for a channel that plays, its stream with a preview.
 */
export function DevicesPage({ onOpen }: { onOpen: (id: string) => void }) {
  const backend = useBackend();
  const [devices, setDevices] = useState<GbDeviceSummary[]>([]);
  useEffect(() => {
    const refresh = () => void backend.call('listGbDevices').then(setDevices);
    refresh();
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, [backend]);
  const sorted = [...devices].sort((a, b) => a.id.localeCompare(b.id));
  return (
    <section className="page">
      <header className="page-header">
        <h1>Devices</h1>
        <span className="muted">
          {devices.filter((d) => d.status === 'online').length} of {devices.length} online
        </span>
      </header>
      {devices.length === 0 ? (
        <div className="card empty">
          No GB28181 device has registered. Turn on gb28181.enabled in Settings, then set the camera's platform access
          to this machine (SIP port 5060, the server id, domain and password of the settings).
        </div>
      ) : (
        <ul className="grid multiview" aria-label="GB28181 devices">
          {sorted.map((d) => (
            <DeviceCard key={d.id} device={d} onOpen={onOpen} />
          ))}
        </ul>
      )}
    </section>
  );
}

function DeviceCard({ device, onOpen }: { device: GbDeviceSummary; onOpen: (id: string) => void }) {
  const playing = device.channels.find((c) => c.playState === 'playing' && c.stream);
  return (
    <li className="card tile" data-testid="gb-device" data-device-id={device.id}>
      {playing?.stream ? <ChannelPreview stream={playing.stream} onOpen={onOpen} /> : <div className="preview" />}
      <div className="tile-meta">
        <span className="title">{device.id}</span>
        <span className={device.status === 'online' ? 'live-badge' : 'muted'} data-testid="gb-device-status">
          {device.status === 'online'
            ? '● online'
            : `offline${device.offlineReason ? ` (${device.offlineReason})` : ''}`}
        </span>
      </div>
      <div className="muted">
        SIP/{device.transport} {device.address} · keepalive {dateTime(Date.parse(device.lastKeepaliveAt))}
      </div>
      <ul className="muted" aria-label={`Channels of ${device.id}`}>
        {device.channels.map((c) => (
          <li key={c.id}>
            {c.name ? `${c.name} ` : ''}
            {c.id}
            {c.stream
              ? ` → /${c.stream} (${c.playState}${c.videoCodec ? `, ${c.videoCodec}` : ''}${c.audioCodec ? `+${c.audioCodec}` : ''})`
              : ''}
          </li>
        ))}
      </ul>
    </li>
  );
}

/** The preview of a channel's stream, once the hub lists it; a click opens its stream page. */
function ChannelPreview({ stream, onOpen }: { stream: string; onOpen: (id: string) => void }) {
  const backend = useBackend();
  const summary = useTally((s) => s.streams.find((x) => x.path === `/${stream}`));
  const [urls, setUrls] = useState<{ whep?: string; llHls?: string; flv?: string; hls?: string }>({});
  useEffect(() => {
    if (!summary) return;
    void backend.call('getStream', summary.id).then((detail) => {
      const find = (p: string) => detail?.playUrls.find((u) => u.protocol === p)?.url;
      setUrls({ whep: find('whep'), llHls: find('ll-hls'), flv: find('http-flv'), hls: find('hls') });
    });
  }, [backend, summary]);
  if (!summary || !urls.flv) return <div className="preview" />;
  return (
    <button type="button" className="link" onClick={() => onOpen(summary.id)} aria-label={`Open /${stream}`}>
      <LivePreview whepUrl={urls.whep} llHlsUrl={urls.llHls} flvUrl={urls.flv} hlsUrl={urls.hls} />
    </button>
  );
}
