#!/usr/bin/env node
// The `syncbalance` command. Plain JavaScript so it can refuse an old Node.js with a clear message
// before loading the TypeScript sources, which Node.js runs directly from 22.18 on.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `error: syncbalance needs Node.js 22.18 or newer, this is ${process.version}. ` +
      'Run it as `npx syncbalance …` or `npm run syncbalance -- …`, which use the Node.js that `npm install` brought.\n',
  );
  process.exit(1);
}
const { main } = await import('./cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
