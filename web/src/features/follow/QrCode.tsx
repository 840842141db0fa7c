import { useMemo } from 'react';
import qrcode from 'qrcode-generator';

/** A QR code of `text`, drawn as one SVG path from the modules qrcode-generator computes (no network, no canvas). */
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const { d, count } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const n = qr.getModuleCount();
    let path = '';
    for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) if (qr.isDark(row, col)) path += `M${col + 4} ${row + 4}h1v1h-1z`;
    return { d: path, count: n };
  }, [text]);
  const box = count + 8; // the quiet zone: four modules each side
  return (
    <svg className="qr-code" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${box} ${box}`} shapeRendering="crispEdges">
      <rect width={box} height={box} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
