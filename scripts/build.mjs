// Bundles src/main.ts into dist/pipecd-bootstrap.mjs; the AWS SDK goes to chunks loaded only when
// a start has a secret reference. Also dist/snapshot/: the startup snapshot's entry and the AWS edge
// as one CommonJS file beside it (see src/snapshot.ts); the blob itself is built with the Node that
// will run it (scripts/lib/snapshot-blob.mjs, or a RUN in the Dockerfiles).
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { 'pipecd-bootstrap': 'src/main.ts' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  legalComments: 'none',
  metafile: true,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: "#!/usr/bin/env node\nimport{createRequire as __pbCreateRequire}from'node:module';const require=__pbCreateRequire(import.meta.url);",
  },
  // The SDK's browser user-agent parser, reached only by a dynamic import that Node never takes.
  external: ['bowser'],
  logLevel: 'warning',
});
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));

const snapshotOptions = {
  loader: { '.yaml': 'text' },
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  external: ['bowser'],
};
await build({
  ...snapshotOptions,
  entryPoints: ['src/snapshot.ts'],
  outfile: 'dist/snapshot/entry.cjs',
  define: { __VERSION__: JSON.stringify(pkg.version) },
});
await build({ ...snapshotOptions, entryPoints: ['src/secrets/sdk-transport.ts'], outfile: 'dist/snapshot/aws-secrets.cjs' });
chmodSync('dist/pipecd-bootstrap.mjs', 0o755);
