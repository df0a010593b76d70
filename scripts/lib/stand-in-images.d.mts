import type { SpawnSyncReturns } from 'node:child_process';
export const PODMAN_RUN_FLAGS: string[];
export function podman(args: readonly string[], input?: Buffer): SpawnSyncReturns<string>;
export const BASES: {
  readonly pipecd: string;
  readonly controlplane: string;
  readonly piped: string;
  readonly launcher: string;
  readonly envoy: string;
  readonly nodeAlpine: string;
  readonly nodeDebian: string;
  readonly binutils: string;
};
export function importStandInBases(): void;
export function buildImage(dockerfile: string, buildArgs: readonly string[], tag: string): void;
export function imageSize(name: string): number;
