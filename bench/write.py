#!/usr/bin/env python3
"""The write stage before and after issue 25, side by side: two `mus` builds
on the same roster, run by run in turn, on the same disk.

- first run: `mus generate --roster` for N people into a fresh folder;
- copy: `cp -r` of that output to a fresh folder (the floor for writing these files);
- re-run: the same command again into the folder it wrote (nothing changed);
- peak memory (max RSS) of a first run at N and at BIG rows.

    cargo build --release   # and keep a build of the earlier commit, e.g. /tmp/mus-before
    python3 bench/write.py --before /tmp/mus-before --after target/release/mus --runs 3
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import CONFIG, make_distinct_roster, make_roster, platform, timed  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", required=True)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--big", type=int, default=100000, help="rows for the memory run (0: none)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--distinct", action="store_true", help="the memory run on a roster of names of their own")
    parser.add_argument("--work", default=None, help="folder for the output (default: the system's temp folder)")
    args = parser.parse_args()
    builds = {"before": args.before, "after": args.after}
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        print(f"machine: {os.cpu_count()} cores, {platform()}; load before: {os.getloadavg()[0]:.2f}")
        roster = os.path.join(work, "roster.csv")
        make_roster(roster, args.rows)
        first = {b: [] for b in builds}
        rerun = {b: [] for b in builds}
        copy = {b: [] for b in builds}
        peak = {b: 0 for b in builds}
        for run in range(args.runs):
            for build, mus in builds.items():
                out = os.path.join(work, f"{build}-{run}")
                cmd = [mus, "generate", CONFIG, "--roster", roster, "-o", out]
                wall, rss = timed(cmd)
                first[build].append(wall)
                peak[build] = max(peak[build], rss)
                start = time.perf_counter()
                subprocess.run(["cp", "-r", out, out + "-copy"], check=True)
                copy[build].append(time.perf_counter() - start)
                rerun[build].append(timed(cmd)[0])
        big_peak = {}
        if args.big:
            big = os.path.join(work, "roster-big.csv")
            (make_distinct_roster if args.distinct else make_roster)(big, args.big)
            for build, mus in builds.items():
                big_peak[build] = timed([mus, "generate", CONFIG, "--roster", big, "-o", os.path.join(work, f"big-{build}")])

        med = statistics.median
        print()
        print("| measure | before | after | target |")
        print("| --- | ---: | ---: | --- |")
        print(f"| first run, {args.rows} forms: median wall (s) | {med(first['before']):.2f} | {med(first['after']):.2f} | |")
        print(f"| `cp -r` of that output (s) | {med(copy['before']):.2f} | {med(copy['after']):.2f} | |")
        ratio = {b: med(first[b]) / med(copy[b]) for b in builds}
        print(f"| first run / copy | {ratio['before']:.2f}x | {ratio['after']:.2f}x | ≤ 1.5x |")
        print(f"| re-run, nothing changed: median wall (s) | {med(rerun['before']):.2f} | {med(rerun['after']):.2f} | ≤ first run |")
        print(f"| peak memory at {args.rows} rows (MB) | {peak['before'] / 1024:.1f} | {peak['after'] / 1024:.1f} | |")
        if big_peak:
            print(f"| first run at {args.big} rows, one run (s) | {big_peak['before'][0]:.2f} | {big_peak['after'][0]:.2f} | |")
            print(f"| peak memory at {args.big} rows (MB) | {big_peak['before'][1] / 1024:.1f} | {big_peak['after'][1] / 1024:.1f} | ≤ 40 |")
        print()
        print("runs (s): " + "; ".join(f"{b}: first {first[b]}, re-run {rerun[b]}, copy {copy[b]}" for b in builds))
        print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
