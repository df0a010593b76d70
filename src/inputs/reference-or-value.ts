/**
 * Tells a reference (or a path) from a value put in its place, before the text is parsed, sent to
 * AWS or quoted in a message. ECS users mix up `secrets` names: ENCRYPTION_KEY_SECRET holding the
 * key itself would be sent to Secrets Manager as a SecretId (recorded by CloudTrail) and echoed in
 * the error. The rule, pure and documented in the README:
 *
 * - only printable ASCII without white space: no space, tab or newline (YAML, PEM, wrapped base64
 *   all have them), no control or non-ASCII byte;
 * - at most 2048 characters (the longest ARN or SSM parameter name AWS accepts);
 * - a name is letters, digits and `/_+=.@-` (Secrets Manager and SSM names), an ARN
 *   `arn:PARTITION:SERVICE:...` (its fields are checked by the parser); the selectors after a name (`:json-key:stage:id`
 *   or SSM's `:version` / `:label`) may hold any other printable character but `{}"'` `;
 * - nothing random-looking: a run of 16 or more letters and digits, or a `:` field of 20 or more
 *   base64 characters (`+`, `/` and padding set aside), in which the kind of character (lower case,
 *   upper case, digit) changes at 35 % or more of the places, or between a letter and a digit at
 *   25 % or more. A base64 or hex key changes at about half of them; names people give
 *   (`pipecd/cp`, `/pipecd-3f9a0c7e21/users`, `PipecdControlPlaneConfig2024`) are words with separators.
 *
 * A path follows the same rule, and may hold spaces and non-ASCII letters, but no control character. A value shorter than 16 characters that is made of
 * name characters cannot be told from a name, and is not.
 */
export type ReferenceVerdict = { readonly ok: true } | { readonly ok: false; readonly why: string };

const MAX_LENGTH = 2048;
const PRINTABLE = /^[\x21-\x7e]+$/;
const NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const ARN = /^arn:[a-z-]+:[a-z0-9-]+:/;
const MAX_PATH = 4096;
const CONTROL = /[\x00-\x1f\x7f]/;
const SELECTOR = /^[^{}"'`]*$/;
const RUN = /[A-Za-z0-9]{16,}/g;
const BASE64_FIELD = /^[A-Za-z0-9+/]{20,}={0,2}$/;

const ok: ReferenceVerdict = { ok: true };
const no = (why: string): ReferenceVerdict => ({ ok: false, why });

const kind = (c: string) => (c >= 'a' && c <= 'z' ? 'a' : c >= 'A' && c <= 'Z' ? 'A' : '0');

/** How often the kind of character changes in `chars`: all changes, and those between a letter and a digit. */
function changesLikeRandom(chars: string): boolean {
  let changes = 0;
  let letterDigit = 0;
  for (let i = 1; i < chars.length; i++) {
    const [a, b] = [kind(chars[i - 1]!), kind(chars[i]!)];
    if (a !== b) changes++;
    if ((a === '0') !== (b === '0')) letterDigit++;
  }
  return changes / (chars.length - 1) >= 0.35 || letterDigit / (chars.length - 1) >= 0.25;
}

/** A run of 16 letters and digits, or a `:` field that is all base64 (its `+` and `/` set aside), that looks random. */
function randomLooking(text: string): boolean {
  if ((text.match(RUN) ?? []).some(changesLikeRandom)) return true;
  return text.split(':').some((field) => BASE64_FIELD.test(field) && changesLikeRandom(field.replace(/[+/=]/g, '')));
}

function random(text: string): ReferenceVerdict | undefined {
  return randomLooking(text) ? no('looks like a random value (a long run of letters and digits)') : undefined;
}

function common(text: string): ReferenceVerdict | undefined {
  if (text.length > MAX_LENGTH) return no(`is longer than ${MAX_LENGTH} characters`);
  if (!PRINTABLE.test(text)) return no('has white space, a line break or a character that no name has');
  return random(text);
}

/** A Secrets Manager or SSM reference: an ARN, or a name, each with optional `:` selectors. */
export function referenceOrValue(text: string): ReferenceVerdict {
  const problem = common(text);
  if (problem) return problem;
  if (text.startsWith('arn:')) return ARN.test(text) && SELECTOR.test(text) ? ok : no('starts with arn: but is not an ARN');
  const [name = '', ...selectors] = text.split(':');
  if (!NAME.test(name)) return no('is not a name (letters, digits and /_+=.@-)');
  return selectors.every((s) => SELECTOR.test(s)) ? ok : no('has a selector that no reference has');
}

/** A file path (X_FILE, PIPECD_BINARY, the output directory). */
export function pathOrValue(text: string): ReferenceVerdict {
  if (text.length > MAX_PATH) return no(`is longer than ${MAX_PATH} characters`);
  if (CONTROL.test(text)) return no('has a line break, a tab or another control character');
  return random(text) ?? ok;
}
