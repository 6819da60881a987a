import { useEffect, useState } from 'react';
import { useBackend } from '../backend-context';

/** How often a shown thumbnail refreshes (the server keeps its snapshot job only while someone asks). */
const REFRESH_MS = 5000;

/** A stream's latest JPEG snapshot, refreshed while it is on screen. */
export function StreamThumbnail({ id, label }: { id: string; label: string }) {
  const backend = useBackend();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      void backend
        .call('getThumbnail', id)
        .then((url) => alive && setSrc(url))
        .catch(() => undefined);
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [backend, id]);
  if (!src) return <div className="thumbnail empty" aria-hidden="true" />;
  return <img className="thumbnail" src={src} alt={`Snapshot of ${label}`} data-testid="stream-thumbnail" />;
}
