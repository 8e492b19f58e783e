#!/usr/bin/env python3
"""Times whole commands, pinned to one core, and prints medians and ratios.

usage: timing.py RUNS CPU NAME=COMMAND... (the first command is the subject;
the others are baselines it is compared with). Output goes to /dev/null;
exit codes 0 and 1 both count as success (git diff exits 1 on differences).

Two figures per command: wall-clock time, and CPU time (user + system, from
the kernel's accounting of the child). On a machine shared with other work
the wall clock also counts the time the command waited for its core; CPU
time does not, so it is the steadier figure there. Runs are interleaved so
that drift hits every command alike.

The commands are pinned by pinning this process, whose children inherit
its core; running each under `taskset -c CPU` would add taskset's own
start (a second exec and dynamic link, about 1.5 ms here: `/bin/true`
took 2.4 ms of CPU under taskset and 0.9 ms without) to every figure,
time that is not the command's.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    """(wall seconds, CPU seconds) of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed with exit code {child.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main():
    runs, cpu = int(sys.argv[1]), int(sys.argv[2])
    os.sched_setaffinity(0, {cpu})
    commands = [(spec.split("=", 1)[0], shlex.split(spec.split("=", 1)[1])) for spec in sys.argv[3:]]
    wall = {name: [] for name, _ in commands}
    cpu_time = {name: [] for name, _ in commands}
    for name, cmd in commands:
        run(cmd)  # warm-up: page cache, binaries
    for _ in range(runs):
        for name, cmd in commands:
            w, c = run(cmd)
            wall[name].append(w)
            cpu_time[name].append(c)
    subject = commands[0][0]
    base_wall = statistics.median(wall[subject])
    base_cpu = statistics.median(cpu_time[subject])
    print(f"{'command':<10} {'wall min':>9} {'median':>8} {'max ms':>8} {'vs ' + subject:>10}   {'cpu median ms':>13} {'vs ' + subject:>10}")
    for name, _ in commands:
        w, c = wall[name], cpu_time[name]
        mw, mc = statistics.median(w), statistics.median(c)
        print(
            f"{name:<10} {min(w) * 1e3:>9.1f} {mw * 1e3:>8.1f} {max(w) * 1e3:>8.1f} {mw / base_wall:>9.2f}x"
            f"   {mc * 1e3:>13.1f} {mc / base_cpu:>9.2f}x"
        )
    return {name: statistics.median(t) for name, t in wall.items()}


if __name__ == "__main__":
    main()
