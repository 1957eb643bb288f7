/**
 * `npm run dev`: the API (as `npm start`, on $PORT or 3000) and Vite's dev server with hot reload
 * on port 5173, which forwards /api to the API. Open http://localhost:5173.
 */
import { join } from 'node:path';
import { createServer } from 'vite';

const apiPort = process.env['PORT'] ?? '3000';
const vite = await createServer({
  configFile: join(import.meta.dirname, '..', 'web', 'vite.config.ts'),
  server: { proxy: { '/api': `http://127.0.0.1:${apiPort}` } },
});
await vite.listen(5173);
vite.printUrls();
await import('./start.ts');
