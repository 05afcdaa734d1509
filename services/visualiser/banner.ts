import QRCode from 'qrcode';

/** The page's address for every host a phone on the LAN can reach it at. */
export const pageUrls = (hosts: readonly string[], port: number): string[] => hosts.map((h) => `http://${h}:${port}/`);

/**
 * What start-up prints for the audience: every address of the page, and a QR code (drawn with
 * terminal block characters) of the first one, so a phone camera can join.
 */
export async function startupBanner(urls: readonly string[]): Promise<string> {
  const lines = [
    'visualiser ready: open the page on any phone or laptop on this network',
    ...urls.map((u) => `  page: ${u}`),
  ];
  const first = urls[0];
  if (!first) return lines.join('\n');
  const qr = await QRCode.toString(first, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
  return `${lines.join('\n')}\n  scan to open ${first}\n${qr.trimEnd()}`;
}
