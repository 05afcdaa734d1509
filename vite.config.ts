import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The web page: source in web/, built into dist/web/, which the visualiser service serves. */
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
  },
});
