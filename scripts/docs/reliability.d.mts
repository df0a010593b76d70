export const RELIABILITY_SUITES: readonly ['secret service faults', 'bad input', 'secret hygiene', 'files', 'signals and exit codes', 'load'];
export const RELIABILITY_DOC: string;
export function missingFromDoc(rows?: { name: string }[]): string[];
export default function generate(): string;
