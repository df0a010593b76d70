import { ROLES } from '../roles/index.js';
import { flagStem } from '../inputs/catalog.js';
import { ALL_SETTINGS } from '../inputs/settings.js';

/** The --help text, made from the role, input and setting tables so that it cannot drift from them. */
export function helpText(version: string): string {
  const roles = Object.values(ROLES)
    .map((role) => {
      const inputs = role.inputs.map(({ spec, required }) => `${spec.name}${required ? '' : ' (optional)'}`).join(', ');
      const settings = role.settings.length > 0 ? `; settings: ${role.settings.join(', ')}` : '';
      return `  ${role.name.padEnd(9)} ${role.summary}\n            inputs: ${inputs}${settings}`;
    })
    .join('\n');
  const settingLines = ALL_SETTINGS.filter((s) => s.flag !== undefined)
    .map((s) => `  ${`--${s.flag} ${s.placeholder}`.padEnd(24)}${s.variable.padEnd(34)}${s.help}`)
    .join('\n');
  const stems = [...new Set(Object.values(ROLES).flatMap((r) => r.inputs.map((i) => flagStem(i.spec))))];
  return `pipecd-bootstrap ${version}: fetch PipeCD secrets, render and validate config files, then exec the program.

Usage:
  pipecd-bootstrap ROLE [options] [-- args for the program]
  pipecd-bootstrap [options]                 the role from PIPECD_BOOTSTRAP_ROLE (set by the piped image)
  pipecd-bootstrap render ROLE [options]    do everything but write and exec; print the plan (secrets redacted)
  pipecd-bootstrap write ROLE [options]     do everything but exec (an init container); print the program's command
  pipecd-bootstrap --help | --version

Roles:
${roles}

Each input X comes from exactly one of:
  env X                          the value itself (as ECS "secrets" injects it)
  env X_SECRET, --x-secret REF   a reference, one of:
                                   Secrets Manager  ARN-or-name[:json-key[:version-stage[:version-id]]]
                                   SSM parameter    arn:aws:ssm:REGION:ACCOUNT:parameter/NAME[:VERSION|:LABEL]
                                                    ssm:NAME[:VERSION|:LABEL]  (in AWS_REGION)
                                   a bare name is always a Secrets Manager secret, never a parameter
  env X_FILE, --x-file PATH      a file
  and is decoded by X_ENCODING / --x-encoding = raw | base64 | auto
  (auto for configs: base64 when the whole value is strict base64; raw for keys and credentials)
  input flags: ${stems.map((s) => `--${s}-{secret,file,encoding}`).join(' ')}

Settings (flag over env):
${settingLines}

Exit codes: 64 usage, 65 bad input data, 69 Secrets Manager or SSM unavailable, 70 internal error,
73 cannot write files, 77 permission denied, 78 secret, parameter or file not found, 126 program not
executable, 127 program not found; after exec, the program's own.
`;
}
