import type { SrtLinkInfo } from '../../../app/contract';
import { kbps } from '../format';

/** The SRT transport figures of one client, a row under its row in the stream's client table. */
export function SrtLinkRow({ cid, link, columns }: { cid: string; link: SrtLinkInfo; columns: number }) {
  const figures: [string, string][] = [
    ['RTT', `${link.rttMs} ms`],
    ['Latency', `${link.latencyMs} ms`],
    ['Loss reports', String(link.lossReports)],
    ['Retransmits', String(link.retransmits)],
    ['Dropped', String(link.dropped)],
    ['Bitrate', kbps(link.kbps)],
    ['Encrypted', link.encrypted ? 'yes' : 'no'],
  ];
  return (
    <tr data-testid="srt-link" data-cid={cid}>
      <td colSpan={columns}>
        <span className="muted">SRT link: </span>
        {figures.map(([name, value], i) => (
          <span key={name} data-figure={name}>
            {i > 0 && ' · '}
            {name} <strong>{value}</strong>
          </span>
        ))}
      </td>
    </tr>
  );
}
