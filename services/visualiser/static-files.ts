import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the files under `root` (the built page) for GET and HEAD; `/` is `index.html`, a
 * folder's address without its slash moves to it with the slash (`/stage` → `/stage/`). Paths
 * that leave `root` or name nothing are a 404, never a crash. Vite's hashed assets are cached for
 * good, the HTML never (so a rebuilt page is picked up on reload).
 */
export function serveStatic(root: string) {
  const base = resolve(root);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path\n');
      return;
    }
    const file = resolve(join(base, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const info = await stat(file).catch(() => undefined);
    // A folder with a page (`/stage`) is its page at `/stage/`, so the page's relative links hold.
    // The new address is built from the resolved path, so `//host` can never come out of it.
    if (info?.isDirectory() && !pathname.endsWith('/')) {
      const index = await stat(join(file, 'index.html')).catch(() => undefined);
      if (index?.isFile()) {
        const folder = relative(base, file).split(sep).map(encodeURIComponent).join('/');
        const query = new URL(req.url ?? '/', 'http://x').search;
        res.writeHead(308, { location: `/${folder}/${query}`, 'content-type': 'text/plain' }).end('moved\n');
        return;
      }
    }
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}
