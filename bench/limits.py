#!/usr/bin/env python3
"""Benchmark: the speed limits of issue #12, measured side by side in one run.

- roster: `mus generate --roster` for N people against copying the same
  bytes to fresh files on the same disk (`cp -r` of mus's own output, read
  from the page cache), the floor any form writer has;
- memory: peak RSS of the roster run at N and 10*N rows;
- followup: `mus followup` for N people (1-3 goals each) against the roster run;
- collect: `mus collect` over N filled-in forms with `--jobs 1` and `--jobs 2`.

Every run writes to a new folder (deleting many files just before a run
makes this VM's disk slow). Prints Markdown tables; median of --runs runs.

Needs: a release build (`cargo build --release`) and GNU time (/usr/bin/time).

Usage: python3 bench/limits.py [--rows 10000] [--runs 3] [--work DIR]
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import CONFIG, MUS, make_roster, platform, timed  # noqa: E402

GOALS = ["Blive skarp til Power BI", "Lede et tværgående projekt", "Holde oplæg for kontoret", "Lære Python"]


def median_run(cmd_for_run, runs):
    walls, peaks = [], []
    for run in range(runs):
        wall, peak = timed(cmd_for_run(run))
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks)


def fill_forms(folder, goals_per_form=2):
    """Writes a goal into the first cells of the goals table of every form."""
    empty = '<w:t xml:space="preserve"></w:t>'
    for name in sorted(os.listdir(folder)):
        if not name.startswith("samtaleskema-"):
            continue
        path = os.path.join(folder, name)
        with zipfile.ZipFile(path) as source:
            parts = [(info, source.read(info.filename)) for info in source.infolist()]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info, data in parts:
                if info.filename == "word/document.xml":
                    xml = data.decode("utf-8")
                    at = xml.index("mus_udviklingsmaal")
                    end = at + xml[at:].index("</w:tbl>")
                    table = xml[at:end]
                    for goal in GOALS[:goals_per_form]:
                        table = table.replace(empty, f'<w:t xml:space="preserve">{goal} ({name})</w:t>', 1)
                    data = (xml[:at] + table + xml[end:]).encode("utf-8")
                target.writestr(info, data)
        with open(path, "wb") as f:
            f.write(out.getvalue())


def make_collected(path, rows):
    rng = random.Random(rows)
    with open(path, "w", encoding="utf-8") as f:
        f.write("file,employee,manager,unit,date,goal,activities,when,follow_up\n")
        for i in range(rows):
            for goal in rng.sample(GOALS, rng.randint(1, 3)):
                f.write(f"f{i}.docx,Person {i},Leder {i % 50},Enhed {i % 7},2027-02-{1 + i % 28:02d},{goal},Kursus,Foråret,Juni\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=None, help="folder for the output (default: the system's temp folder)")
    args = parser.parse_args()
    if not os.path.exists(MUS):
        sys.exit("build first: cargo build --release")
    n, runs = args.rows, args.runs
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        print(f"machine: {os.cpu_count()} cores, {platform()}; load before: {os.getloadavg()[0]:.2f}")
        print()
        roster = os.path.join(work, "roster.csv")
        make_roster(roster, n)
        big = os.path.join(work, "roster-big.csv")
        make_roster(big, 10 * n)

        # Roster and the same bytes copied, interleaved run by run.
        mus_walls, copy_walls, peak = [], [], 0
        for run in range(runs):
            out = os.path.join(work, f"roster-{run}")
            wall, rss = timed([MUS, "generate", CONFIG, "--roster", roster, "-o", out])
            mus_walls.append(wall)
            peak = max(peak, rss)
            start = time.perf_counter()
            subprocess.run(["cp", "-r", out, os.path.join(work, f"copy-{run}")], check=True)
            copy_walls.append(time.perf_counter() - start)
        forms = os.path.join(work, "roster-0")
        sizes = [os.path.getsize(os.path.join(forms, f)) for f in os.listdir(forms) if f.startswith("samtaleskema-")]
        roster_wall = statistics.median(mus_walls)
        copy_wall = statistics.median(copy_walls)
        big_wall, big_peak = median_run(
            lambda run: [MUS, "generate", CONFIG, "--roster", big, "-o", os.path.join(work, f"big-{run}")], 1
        )

        collected = os.path.join(work, "collected.csv")
        make_collected(collected, n)
        followup_wall, followup_peak = median_run(
            lambda run: [MUS, "followup", collected, CONFIG, "-o", os.path.join(work, f"followup-{run}")], runs
        )

        fill_forms(forms)
        collect = {}
        for jobs in (1, 2):
            collect[jobs] = median_run(
                lambda run: [MUS, "collect", forms, "--jobs", str(jobs), "-o", os.path.join(work, f"c-{jobs}-{run}.csv")],
                runs,
            )

        print("| measure | value | target |")
        print("| --- | ---: | --- |")
        print(f"| roster, {n} forms: median wall (s) | {roster_wall:.2f} | |")
        print(f"| the same bytes copied to fresh files (s) | {copy_wall:.2f} | |")
        print(f"| roster / copy | {roster_wall / copy_wall:.2f}x | ≤ 1.5x |")
        print(f"| largest form (KB) | {max(sizes) / 1024:.1f} | ≤ 20 |")
        print(f"| roster peak memory at {n} rows (MB) | {peak / 1024:.1f} | |")
        print(f"| roster peak memory at {10 * n} rows (MB) | {big_peak / 1024:.1f} | ≤ 40, within 10 % of {n} |")
        print(f"| roster at {10 * n} rows, one run (s) | {big_wall:.2f} | |")
        print(f"| followup, {n} people: median wall (s) | {followup_wall:.2f} | ≤ 2x roster ({2 * roster_wall:.2f}) |")
        print(f"| followup peak memory (MB) | {followup_peak / 1024:.1f} | ≤ 100 |")
        print(f"| collect --jobs 1, {n} filled forms (s) | {collect[1][0]:.2f} | |")
        print(f"| collect --jobs 2 (s) | {collect[2][0]:.2f} | |")
        print(f"| collect speed-up | {collect[1][0] / collect[2][0]:.2f}x | ≥ 1.6x |")
        print()
        print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
