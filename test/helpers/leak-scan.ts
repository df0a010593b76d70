import type { StartResult } from './bundle.js';

/** One place a start shows something to the world. */
export interface Exposure {
  readonly where: string;
  readonly text: string;
}

/** A form a secret could leak as, named without showing it. */
export interface LeakForm {
  readonly what: string;
  readonly text: string;
}

/** Slices shorter than this are too likely to occur by chance in a log line. */
export const SLICE_BYTES = 8;

const windows = (text: string, width: number, step: number): { at: number; text: string }[] => {
  const found: { at: number; text: string }[] = [];
  for (let at = 0; at + width <= text.length; at += step) found.push({ at, text: text.slice(at, at + width) });
  return found;
};

const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);

/**
 * Every form a secret value could take in an output: the whole value, its base64, its JSON-escaped
 * text, and every 8-byte slice of each (base64 slices at all three byte alignments, so that the
 * base64 of any run of bytes inside the value is caught too).
 */
export function leakForms(secret: string | Buffer): LeakForm[] {
  const bytes = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  const text = bytes.toString('utf8');
  const forms: LeakForm[] = [
    { what: 'the whole value', text },
    { what: 'its base64', text: bytes.toString('base64') },
    { what: 'its JSON-escaped text', text: jsonEscaped(text) },
  ];
  for (const w of windows(text, SLICE_BYTES, 1)) forms.push({ what: `its bytes ${w.at}..${w.at + SLICE_BYTES}`, text: w.text });
  for (const w of windows(jsonEscaped(text), SLICE_BYTES, 1)) forms.push({ what: `its JSON-escaped text at ${w.at}`, text: w.text });
  for (const align of [0, 1, 2]) {
    const encoded = bytes.subarray(align).toString('base64').replace(/=+$/, '');
    // Whole quads only: the last, partial one depends on the bytes after the slice.
    const usable = encoded.slice(0, encoded.length - (encoded.length % 4));
    for (const w of windows(usable, SLICE_BYTES, 4)) forms.push({ what: `its base64 from byte ${align} at ${w.at}`, text: w.text });
  }
  return forms.filter((f) => f.text.length > 0);
}

/** Everything a start shows: stdout, stderr (every log line), and the program's argv, command line and environment. */
export function exposuresOf(r: StartResult): Exposure[] {
  const found: Exposure[] = [
    { where: 'stdout', text: r.stdout },
    { where: 'stderr', text: r.stderr },
  ];
  if (r.record) {
    found.push({ where: "the program's argv", text: r.record.args.join('\n') });
    found.push({ where: "the program's /proc cmdline", text: r.record.cmdline.join('\n') });
    found.push({ where: "the program's /proc environ", text: r.record.environ.join('\n') });
  }
  return found;
}

export interface Leak {
  readonly secret: number;
  readonly what: string;
  readonly where: string;
}

/** Where any form of any secret appears, naming the secret by its index, never by its value. */
export function findLeaks(exposures: readonly Exposure[], secrets: readonly (string | Buffer)[]): Leak[] {
  const leaks: Leak[] = [];
  secrets.forEach((secret, index) => {
    for (const form of leakForms(secret)) {
      for (const exposure of exposures) {
        if (exposure.text.includes(form.text)) leaks.push({ secret: index, what: form.what, where: exposure.where });
      }
    }
  });
  return leaks;
}

/** Fails, without printing a value, when any form of any secret appears in what the start showed. */
export function expectNoLeak(from: StartResult | readonly Exposure[], secrets: readonly (string | Buffer)[]): void {
  const exposures = Array.isArray(from) ? (from as readonly Exposure[]) : exposuresOf(from as StartResult);
  const leaks = findLeaks(exposures, secrets);
  if (leaks.length > 0) {
    const first = leaks.slice(0, 5).map((l) => `secret #${l.secret}: ${l.what} in ${l.where}`);
    throw new Error(`${leaks.length} leaked forms, e.g.\n${first.join('\n')}`);
  }
}
