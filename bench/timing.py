#!/usr/bin/env python3
"""Times whole commands, pinned to one core, and prints medians and ratios.

usage: timing.py RUNS CPU NAME=COMMAND... (the first command is the subject;
the others are baselines it is compared with). Output goes to /dev/null;
exit codes 0 and 1 both count as success (git diff exits 1 on differences).
"""
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd, cpu):
    start = time.perf_counter()
    done = subprocess.run(["taskset", "-c", cpu] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed with exit code {done.returncode}")
    return elapsed


def main():
    runs, cpu = int(sys.argv[1]), sys.argv[2]
    commands = [(spec.split("=", 1)[0], shlex.split(spec.split("=", 1)[1])) for spec in sys.argv[3:]]
    times = {name: [] for name, _ in commands}
    for name, cmd in commands:
        run(cmd, cpu)  # warm-up: page cache, binaries
    for _ in range(runs):
        for name, cmd in commands:  # interleaved, so drift hits all alike
            times[name].append(run(cmd, cpu))
    subject = commands[0][0]
    base = statistics.median(times[subject])
    print(f"{'command':<10} {'min ms':>8} {'median ms':>10} {'max ms':>8} {'vs ' + subject:>12}")
    for name, _ in commands:
        t = times[name]
        med = statistics.median(t)
        print(f"{name:<10} {min(t) * 1e3:>8.1f} {med * 1e3:>10.1f} {max(t) * 1e3:>8.1f} {med / base:>11.1f}x")
    return {name: statistics.median(t) for name, t in times.items()}


if __name__ == "__main__":
    main()
