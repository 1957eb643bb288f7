/**
 * `npm run dev`: the API on port 3000 (as `npm start`) and Vite's dev server with hot reload on
 * port 5173, which forwards /api to the API.
 */
import { join } from 'node:path';
import { createServer } from 'vite';

const vite = await createServer({
  configFile: join(import.meta.dirname, '..', 'web', 'vite.config.ts'),
});
await vite.listen(5173);
vite.printUrls();
await import('./start.ts');
