// Bundles src/main.ts into dist/pipecd-bootstrap.mjs; the AWS SDK goes to chunks loaded only when
// a start has a secret reference.
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
  banner: { js: "#!/usr/bin/env node\nimport{createRequire as __pbCreateRequire}from'node:module';const require=__pbCreateRequire(import.meta.url);" },
  // The SDK's browser user-agent parser, reached only by a dynamic import that Node never takes.
  external: ['bowser'],
  logLevel: 'warning',
});
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
chmodSync('dist/pipecd-bootstrap.mjs', 0o755);
