import { run } from './cli/run.js';

process.exit(await run(process.argv.slice(2), process.env, () => import('./secrets/sdk-transport.js')));
