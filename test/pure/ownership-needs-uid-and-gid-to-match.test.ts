import { describe, expect, it } from 'vitest';
import { ownerFor } from '../../src/output/owner.js';
import { ROLES } from '../../src/roles/index.js';
import { failureOf } from '../helpers/failure.js';

/** The files stay as written only when both the uid and the gid are already the program user's. */
describe('ownerFor', () => {
  it('root with the right gid but another uid still gives the files away', () => {
    expect(ownerFor(ROLES.server, { uid: 5, gid: 0 }, 0, 0)).toEqual({ uid: 5, gid: 0 });
  });

  it('root with the right uid but another gid still gives the files away', () => {
    expect(ownerFor(ROLES.server, { uid: 0, gid: 6 }, 0, 0)).toEqual({ uid: 0, gid: 6 });
  });

  it('another user with the same gid only is refused (exit 77)', () => {
    expect(failureOf(() => ownerFor(ROLES.server, { uid: 5, gid: 8 }, 7, 8))).toEqual({
      exitCode: 77,
      message: "the files must belong to 5:8, the user of server's program, and only root can give them away; this runs as 7:8",
      hint: 'run the init container as root ("user": "0", needed anyway on a Fargate bind mount, which is root\'s) or as 5:8',
    });
  });

  it('another user with the same uid only is refused (exit 77)', () => {
    expect(failureOf(() => ownerFor(ROLES.server, { uid: 7, gid: 9 }, 7, 8)).message).toBe(
      "the files must belong to 7:9, the user of server's program, and only root can give them away; this runs as 7:8",
    );
  });

  it('the same uid and gid: nothing to give', () => {
    expect(ownerFor(ROLES.server, { uid: 7, gid: 8 }, 7, 8)).toBeUndefined();
  });
});
