import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code of a play URL, for phones on the same network. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    void QRCode.toDataURL(text, { margin: 1, width: 180 }).then(setSrc);
  }, [text]);
  return src ? <img className="qr" src={src} width={180} height={180} alt={label} /> : <div className="qr" />;
}
