// Bundles src/main.ts into dist/pipecd-bootstrap.mjs, with the fast AWS transport inside it; the AWS
// SDK transport is a bundle of its own, dist/aws/sdk-transport.mjs (and its chunks), loaded only when
// a start's references go through the SDK (see src/secrets/choose-transport.ts). Two builds rather
// than one with shared chunks: the SDK requires all of @smithy/core's modules that the fast
// transport's signer uses a few functions of, and a chunk shared by both would make every start load
// them. Also dist/snapshot/: the startup snapshot's entry and the SDK transport as one CommonJS file
// beside it (see src/snapshot.ts); the blob itself is built with the Node that will run it
// (scripts/lib/snapshot-blob.mjs, or the Dockerfiles).
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The signer's CommonJS build requires the whole of @smithy/core's protocols (140 KB minified); its
// ES build lets esbuild keep only what signing uses (14 KB).
const SIGNER_AS_ESM = { '@smithy/signature-v4': '@smithy/signature-v4/dist-es/index.js' };
const SDK_TRANSPORT = /\/secrets\/sdk-transport\.js$/;
const SDK_BUNDLE = './aws/sdk-transport.mjs';

/** main.ts's import() of the SDK transport becomes an import of its own bundle. */
const sdkTransportOutside = {
  name: 'sdk-transport-outside',
  setup(b) {
    b.onResolve({ filter: SDK_TRANSPORT }, () => ({ path: SDK_BUNDLE, external: true }));
  },
};

// The signer takes seven small functions from @smithy/core/serde, whose index module, as it loads,
// reads the global \`crypto\` (which loads Node's whole webcrypto), imports node:crypto and builds
// stream and blob classes that signing never uses: that put about 300 KB into the startup snapshot
// (1.5 ms of every start) and loaded node:crypto in every start of the bundle. The signer gets those
// functions from their own modules instead; the SDK client's bundle keeps the whole index.
const SERDE = fileURLToPath(new URL('../node_modules/@smithy/core/dist-es/submodules/serde/', import.meta.url));
const SIGNER_SERDE = [
  `export { fromHex, toHex } from ${JSON.stringify(`${SERDE}util-hex-encoding/hex-encoding.js`)};`,
  `export { fromUtf8 } from ${JSON.stringify(`${SERDE}util-utf8/fromUtf8.js`)};`,
  `export { toUint8Array } from ${JSON.stringify(`${SERDE}util-utf8/toUint8Array.js`)};`,
  `export { isArrayBuffer } from ${JSON.stringify(`${SERDE}is-array-buffer/is-array-buffer.js`)};`,
  `export { writeKey } from ${JSON.stringify(`${SERDE}writeKey.js`)};`,
  `export { hasOwn } from '@smithy/core/transport';`,
].join('\n');
const signerSerde = {
  name: 'signer-serde',
  setup(b) {
    b.onResolve({ filter: /^@smithy\/core\/serde$/ }, (args) =>
      args.importer.includes('/@smithy/signature-v4/') ? { path: 'signer-serde', namespace: 'signer-serde' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'signer-serde' }, () => ({ contents: SIGNER_SERDE, loader: 'js', resolveDir: SERDE }));
  },
};

/** In the startup snapshot, import('execa') is execa.cjs beside the blob, read when first called (src/launch/execa-beside-blob.ts). */
const execaBesideBlob = {
  name: 'execa-beside-blob',
  setup(b) {
    b.onResolve({ filter: /^execa$/ }, (args) =>
      args.importer.endsWith('execa-beside-blob.ts')
        ? undefined
        : { path: new URL('../src/launch/execa-beside-blob.ts', import.meta.url).pathname },
    );
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// `npm run mutate:edges` builds one bundle per mutant from instrumented sources, which read the
// active mutant from the environment; the tests start the bundle with an environment of their own,
// so the mutant's id is written into the bundle instead. Empty outside a mutation run.
const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
const activeMutant = mutant ? `(globalThis.__stryker__??={}).activeMutant=${JSON.stringify(mutant)};` : '';
const common = {
  // The embedded sample configs (src/samples/*.yaml) are bundled as text.
  loader: { '.yaml': 'text' },
  bundle: true,
  platform: 'node',
  minify: true,
  legalComments: 'none',
  // The SDK's browser user-agent parser, reached only by a dynamic import that Node never takes.
  external: ['bowser'],
  alias: SIGNER_AS_ESM,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
const esm = {
  ...common,
  target: 'node20',
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: `import{createRequire as __pbCreateRequire}from'node:module';const require=__pbCreateRequire(import.meta.url);${activeMutant}`,
  },
};

rmSync('dist', { recursive: true, force: true });
const main = await build({
  ...esm,
  entryPoints: { 'pipecd-bootstrap': 'src/main.ts' },
  outdir: 'dist',
  plugins: [sdkTransportOutside, signerSerde],
  banner: { js: `#!/usr/bin/env node\n${esm.banner.js}` },
});
const sdk = await build({ ...esm, entryPoints: { 'sdk-transport': 'src/secrets/sdk-transport.ts' }, outdir: 'dist/aws' });
writeFileSync(
  'dist/meta.json',
  JSON.stringify({
    inputs: { ...main.metafile.inputs, ...sdk.metafile.inputs },
    outputs: { ...main.metafile.outputs, ...sdk.metafile.outputs },
  }),
);

const snapshot = { ...common, target: 'node22', format: 'cjs' };
await build({
  ...snapshot,
  entryPoints: ['src/snapshot.ts'],
  outfile: 'dist/snapshot/entry.cjs',
  plugins: [signerSerde, execaBesideBlob],
});
await build({
  ...snapshot,
  stdin: { contents: "export { execa } from 'execa';", resolveDir: '.', loader: 'js' },
  outfile: 'dist/snapshot/execa.cjs',
});
await build({ ...snapshot, entryPoints: ['src/secrets/sdk-transport.ts'], outfile: 'dist/snapshot/aws-secrets.cjs' });

// V8 stores a script that holds one character outside ASCII at two bytes per character: that doubled
// the startup snapshot's copy of its 425 KB source and cost every start about 1.5 ms (docs/benchmarks.md).
// esbuild escapes every such character (charset 'ascii') except in regular expression literals (zod's
// duration pattern has a µ); there, as everywhere, \uXXXX of each UTF-16 unit means the same.
const escapeNonAscii = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
for (const entry of readdirSync('dist', { recursive: true })) {
  if (!/\.[cm]js$/.test(entry)) continue;
  const path = join('dist', entry);
  const text = readFileSync(path, 'utf8');
  if (/[^\x00-\x7f]/.test(text)) writeFileSync(path, escapeNonAscii(text));
}
chmodSync('dist/pipecd-bootstrap.mjs', 0o755);
