export function recordObservation(topic: string, row: object): void;
export function readObservations<T = Record<string, unknown>>(topic: string): T[];
export function clearObservations(): void;
export function writeDoc(path: string, text: string): void;
export function replaceBlock(path: string, name: string, text: string): void;
