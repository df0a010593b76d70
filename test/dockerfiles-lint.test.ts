import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../scripts/lib/paths.mjs';
import { DockerfileParser, type JSONInstruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');

/** What each Dockerfile's final stage must start and run. */
const EXPECTED: Record<string, { entrypoint: string[] | undefined; cmd: string[]; user: string | undefined }> = {
  'Dockerfile.server': { entrypoint: ['/sbin/tini', '--', 'pipecd-bootstrap'], cmd: ['server'], user: '65532:65532' },
  // ops inherits the server image's ENTRYPOINT and USER.
  'Dockerfile.ops': { entrypoint: undefined, cmd: ['ops'], user: undefined },
  'Dockerfile.gateway': { entrypoint: ['pipecd-bootstrap'], cmd: ['gateway'], user: '65532:65532' },
  'Dockerfile.piped': { entrypoint: ['/sbin/tini', '--', 'pipecd-bootstrap'], cmd: [], user: '1000:1000' },
  // The init container writes files and exits: no program to exec, so no init and no snapshot.
  'Dockerfile.init': {
    entrypoint: ['/usr/local/bin/node', '/opt/pipecd-bootstrap/pipecd-bootstrap.mjs', 'write'],
    cmd: [],
    user: '65532:65532',
  },
};

/** Images without the startup snapshot: ops inherits the server's, and the init container runs once per task. */
const NO_SNAPSHOT = ['Dockerfile.ops', 'Dockerfile.init'];

const jsonArgs = (instruction: JSONInstruction | undefined) => instruction?.getJSONStrings().map((s) => s.getJSONValue());

const SNAPSHOT_BUILD = [
  '/usr/local/bin/node',
  '--snapshot-blob',
  '/opt/pipecd-bootstrap/snapshot/pipecd-bootstrap.blob',
  '--build-snapshot',
  '/opt/pipecd-bootstrap/snapshot/entry.cjs',
];
const STRIP = ['strip', '/node'];

describe('Dockerfiles, linted offline (dockerfile-utils validate, dockerfile-ast rules)', () => {
  it('the linter finds problems where there are some (control)', () => {
    expect(validate('FROM\nCOPY a\nENTRYPOINT ["x"').length).toBeGreaterThan(0);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: no lint diagnostics; pinned ARG bases; no ADD; RUN only to strip Node and build the snapshot, in build stages; non-root; exec-form ENTRYPOINT and CMD`, () => {
      const text = read(name);
      expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
      const file = DockerfileParser.parse(text);
      const keywords = file.getInstructions().map((i) => i.getKeyword());
      expect(keywords).not.toContain('ADD');
      // Two RUNs, exec form, no shell, no network: strip Node's symbols, and build the startup snapshot with that Node.
      const runs = file.getInstructions().filter((i) => i.getKeyword() === 'RUN') as JSONInstruction[];
      expect(runs.map((r) => jsonArgs(r))).toEqual(NO_SNAPSHOT.includes(name) ? [] : [STRIP, SNAPSHOT_BUILD]);
      const args = new Map(file.getARGs().map((a) => [a.getProperty()?.getName(), a.getProperty()?.getValue()]));
      for (const from of file.getFROMs()) {
        const image = from.getImageName() ?? '';
        expect(image, 'every base is a build arg').toMatch(/^\$\{[A-Z_]+\}$/);
        const defaultValue = args.get(image.slice(2, -1));
        expect(defaultValue, `${image} has a default`).toBeTruthy();
        expect(defaultValue).not.toMatch(/:latest$/);
      }
      const finalStage = file.getFROMs().at(-1)!.getRange().start.line;
      const after = <T extends { getRange(): { start: { line: number } } }>(list: T[]) =>
        list.filter((i) => i.getRange().start.line > finalStage).at(-1);
      expect(jsonArgs(after(file.getENTRYPOINTs()))).toEqual(expected.entrypoint);
      expect(jsonArgs(after(file.getCMDs()))).toEqual(expected.cmd);
      const user = after(file.getInstructions().filter((i) => i.getKeyword() === 'USER'));
      expect(user?.getArgumentsContent() ?? undefined).toEqual(expected.user);
      // The image gets only what a start needs, each once: no RUN layer, no file copied twice, not the whole of dist/.
      const finalInstructions = file.getInstructions().filter((i) => i.getRange().start.line > finalStage);
      expect(finalInstructions.map((i) => i.getKeyword())).not.toContain('RUN');
      const sources = finalInstructions
        .filter((i) => i.getKeyword() === 'COPY')
        .flatMap((i) =>
          i
            .getArguments()
            .slice(0, -1)
            .map((a) => a.getValue())
            .filter((a) => !a.startsWith('--')),
        );
      expect(new Set(sources).size).toBe(sources.length);
      expect(sources).not.toContain('dist/');
    });
  }

  it("the build context holds only the snapshot entry, the SDK client, execa, the init image's bundle and docker/", () => {
    expect(
      read('.dockerignore')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')),
    ).toEqual([
      '*',
      '!dist/snapshot/entry.cjs',
      '!dist/snapshot/aws-secrets.cjs',
      '!dist/snapshot/execa.cjs',
      '!dist/pipecd-bootstrap.mjs',
      '!dist/chunks/',
      '!dist/aws/',
      '!docker/',
    ]);
  });
});
