import { flagValue } from './cli/args.js';

/**
 * require() of a CommonJS file that lies beside the startup snapshot's blob (dist/snapshot/ here,
 * /opt/pipecd-bootstrap/snapshot/ in the images): the parts a snapshot cannot hold or that few starts
 * use. Only a snapshot's code calls it; dynamic import() is unavailable in a snapshot's main function,
 * require() of a file is.
 */
export function requireBesideBlob<T>(file: string): T {
  const blob = flagValue(process.execArgv, '--snapshot-blob');
  if (blob === undefined) throw new Error('started without --snapshot-blob');
  const { createRequire } = process.getBuiltinModule('node:module');
  // createRequire needs an absolute path; --snapshot-blob may have been given a relative one.
  return createRequire(process.getBuiltinModule('node:path').resolve(blob))(file) as T;
}
