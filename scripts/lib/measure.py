"""Times commands for scripts/bench.mjs: fork, exec, wait4. Reads a JSON list of variants on stdin
({name, argv, env, cwd}) and the number of rounds as argv[1]; runs every variant once per round,
interleaved so that drift hits all alike; prints {name: {"ms": [...], "maxrss_kb": [...], "codes": [...]}}.
wait4's ru_maxrss covers the process across execve, so it is the peak of the bootstrapper or the
program, whichever was larger."""
import json
import os
import sys
import time

variants = json.load(sys.stdin)
rounds = int(sys.argv[1])
results = {v["name"]: {"ms": [], "maxrss_kb": [], "codes": []} for v in variants}
devnull = os.open(os.devnull, os.O_WRONLY)

for _ in range(rounds + 1):
    for v in variants:
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                if v.get("cwd"):
                    os.chdir(v["cwd"])
                os.execve(v["argv"][0], v["argv"], v["env"])
            finally:
                os._exit(127)
        _, status, usage = os.wait4(pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        if _ == 0:
            continue  # the first round warms the page cache and is not counted
        r = results[v["name"]]
        r["ms"].append(elapsed)
        r["maxrss_kb"].append(usage.ru_maxrss)
        r["codes"].append(os.waitstatus_to_exitcode(status))

json.dump(results, sys.stdout)
