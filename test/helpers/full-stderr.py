"""Runs argv[1:] with its stderr a full, non-blocking pipe: what a start meets when the reader of the
container's log pipe (a log driver, a sidecar) has fallen behind. The pipe is drained after 0.5 s;
what the command wrote after the filler goes to this process's stderr, and its exit code is ours."""
import fcntl
import os
import sys
import time

read_end, write_end = os.pipe()
fcntl.fcntl(write_end, fcntl.F_SETFL, fcntl.fcntl(write_end, fcntl.F_GETFL) | os.O_NONBLOCK)
filler = 0
try:
    while True:
        filler += os.write(write_end, b"x" * 4096)
except BlockingIOError:
    pass
pid = os.fork()
if pid == 0:
    os.dup2(write_end, 2)
    os.execvp(sys.argv[1], sys.argv[1:])
os.close(write_end)
time.sleep(0.5)
skipped = b""
while len(skipped) < filler:
    skipped += os.read(read_end, filler - len(skipped))
while chunk := os.read(read_end, 65536):
    os.write(2, chunk)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
