import react from '@vitejs/plugin-react';
import { join } from 'node:path';
import { defineConfig } from 'vite';

const repositoryRoot = join(import.meta.dirname, '..');

// The dashboard is built into web/dist and served by the same Express app as the API. It imports
// the shared contract (server/contract) and the metric definitions (docs/metrics.md) from outside
// web/, so the dev server may read the whole repository.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    fs: { allow: [repositoryRoot] },
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
