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
  // No source maps in the production build: they would publish the dashboard's whole source,
  // comments included, to anyone who can load a page. `npm run dev` (Vite's dev server) still
  // serves its own inline maps for debugging.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    fs: { allow: [repositoryRoot] },
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
