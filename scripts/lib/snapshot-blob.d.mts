export function buildSnapshotBlob(node: string, snapshotDir: string): string;
export const SNAPSHOT_START: readonly string[];
export function snapshotCommand(node: string, blob: string): string[];
