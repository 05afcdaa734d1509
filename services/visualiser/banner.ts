import QRCode from 'qrcode';

/** The page's address for every host a phone on the LAN can reach it at. */
export const pageUrls = (hosts: readonly string[], port: number): string[] => hosts.map((h) => `http://${h}:${port}/`);

/**
 * What start-up prints for the audience: every address of the page, and where to scan a QR code
 * of the first one. In a terminal (`qr`) the code is drawn with block characters; under foreman
 * it is not: foreman prefixes every line and splits the colour codes, which leaves a code no
 * camera reads, so the banner points at the stage screen's code instead.
 */
export async function startupBanner(urls: readonly string[], qr: boolean): Promise<string> {
  const lines = [
    'visualiser ready: open the page on any phone or laptop on this network',
    ...urls.map((u) => `  page: ${u}`),
  ];
  const first = urls[0];
  if (!first) return lines.join('\n');
  lines.push(`  stage: ${first}stage/ (put it on the projector: the join address and a QR code, large)`);
  if (!qr) return lines.join('\n');
  const code = await QRCode.toString(first, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
  return `${lines.join('\n')}\n  scan to open ${first}\n${code.trimEnd()}`;
}

/**
 * The join address as a QR code in SVG, for the stage screen: light modules on a dark field
 * would confuse some phone cameras, so it is dark on white with the standard quiet zone.
 */
export function joinQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  });
}
