export function buildSnapshotBlob(node: string, snapshotDir: string): string;
