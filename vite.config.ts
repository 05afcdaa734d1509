import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The web pages: source in web/, built into dist/web/, which the visualiser service serves. Two
 * pages share one set of assets: the page at `/`, and the stage screen at `/stage/`.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, 'web'),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'web/index.html'),
        stage: resolve(import.meta.dirname, 'web/stage/index.html'),
      },
    },
  },
});
